/// How a model's inference tensors become driftd features (`models[].tensors`): each listed
/// input tensor of shape [N, F] (or [N]) yields N events, its column `c` feeding the feature
/// `columns[c]`; the prediction is one column of one output tensor.
public struct TensorMapping: Sendable, Equatable {
    /// One input tensor.
    public struct Input: Sendable, Equatable {
        /// The tensor's name (`instances` for KServe v1 bodies).
        public var tensor: String
        /// Feature name per column; `nil` for a column that is not monitored.
        public var columns: [String?]

        /// Creates an input mapping.
        public init(tensor: String, columns: [String?]) {
            self.tensor = tensor
            self.columns = columns
        }
    }

    /// The output column holding the prediction.
    public struct Output: Sendable, Equatable {
        /// The tensor's name (`predictions` for KServe v1 bodies).
        public var tensor: String
        /// The column within a [N, K] tensor (0 for a [N] tensor).
        public var column: Int

        /// Creates an output mapping.
        public init(tensor: String, column: Int = 0) {
            self.tensor = tensor
            self.column = column
        }
    }

    /// The mapped input tensors.
    public var inputs: [Input]
    /// Where the prediction is, if the baseline has a prediction profile and it is mapped.
    public var prediction: Output?

    /// Creates a mapping.
    public init(inputs: [Input], prediction: Output? = nil) {
        self.inputs = inputs
        self.prediction = prediction
    }

    /// The feature names the mapping produces, in order of appearance.
    public var featureNames: [String] {
        inputs.flatMap { $0.columns.compactMap { $0 } }
    }
}
