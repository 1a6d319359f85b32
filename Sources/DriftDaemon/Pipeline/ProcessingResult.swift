import DriftCore

/// What processing one batch of input messages produced.
public struct ProcessingResult: Sendable {
    /// Evaluations, alerts and retrain requests, in order.
    public var outputs: [MonitorOutput] = []
    /// Messages not applied, with reasons (for the dead-letter topic).
    public var rejects: [RejectedEvent] = []
    /// Events applied per model.
    public var appliedPerModel: [String: Int] = [:]
    /// Events applied per (model, version).
    public var appliedPerVersion: [ModelVersion: Int] = [:]
    /// Per baseline id: the message indexes of the events applied to its window, in row order.
    public var appliedMessages: [String: [Int]] = [:]
    /// Events not applied because the caller's `admit` refused them (already in a restored checkpoint).
    public var skipped: Int = 0
    /// Feature keys ignored because the baseline does not know them.
    public var unknownFeatureValues: Int = 0
    /// Events matched to a model's baseline of another version.
    public var versionFallbacks: Int = 0
    /// Label events per model and outcome; labels of models without accuracy tracking are
    /// counted under `EventProcessor.untrackedModel`.
    public var labels: [String: LabelCounts] = [:]
    /// Accuracy window evaluations, in order (their alerts are in `outputs`).
    public var accuracy: [AccuracyUpdate] = []
    /// Label-free performance estimates of models built with labels, in order.
    public var estimates: [EstimateUpdate] = []
    /// Per (model, version) touched: predictions held waiting for labels.
    public var pendingPredictions: [ModelVersion: Int] = [:]
    /// Per (model, version) touched: unlabelled predictions dropped while this batch was processed.
    public var droppedPredictions: [ModelVersion: PredictionStore.Drops] = [:]
    /// Per (model, version) that received events: latencies, cost and the latest serving evaluation.
    public var serving: [ServingUpdate] = []

    public init() {}

    /// Events applied to windows.
    public var applied: Int { appliedPerModel.values.reduce(0, +) }
}
