import DriftCore
import Foundation

/// Applies command-line overrides and defaults to a draft, loads the baselines and checks
/// everything that spans several keys.
struct ConfigurationResolver {
    let diagnostics: ConfigurationDiagnostics
    /// Directory relative paths in the file are resolved against (the file's directory).
    let baseDirectory: String?
    let sourceFile: String?
    /// Whether a missing `kafka.brokers` is an error (`false` for commands that contact no broker).
    var requireBrokers = true
    /// Judges each entry of the `kafka` property maps; `nil` leaves them to client creation.
    var checkProperty: ConfigurationLoader.PropertyCheck?
    /// Variables for `${NAME}` in Kafka property values.
    var environment: [String: String] = [:]

    func resolve(_ draft: ConfigurationDraft, overrides: ConfigurationOverrides) -> DaemonConfiguration? {
        let kafka = resolveKafka(draft, overrides)
        let models = resolveModels(draft, overrides)
        let limits = LimitSettings(
            maxEventBytes: draft.maxEventBytes?.value ?? LimitSettings.defaultMaxEventBytes,
            maxFutureSkew: draft.maxFutureSkewMillis.map { .milliseconds($0.value) }
                ?? LimitSettings.defaultMaxFutureSkew,
            decodeThreads: draft.decodeThreads?.value ?? 0)

        var state = StateSettings(
            directory: draft.stateDirectory?.value.map(resolvePath),
            topic: draft.stateTopic?.value,
            checkpointInterval: draft.checkpointIntervalMillis.map { .milliseconds($0.value) }
                ?? StateSettings.defaultCheckpointInterval)
        if let directory = overrides.stateDirectory {
            if directory.isEmpty { diagnostics.report(.invalidValue, at: .flag("--state-dir"), "must not be empty") }
            state.directory = directory
        }
        if let topic = draft.stateTopic, let name = topic.value {
            if name.isEmpty {
                diagnostics.report(
                    .invalidValue, at: topic.location, "must not be empty (null keeps checkpoints out of Kafka)")
            } else if let kafka,
                (kafka.inputTopics + kafka.labelTopics + [kafka.alertTopic, kafka.retrainTopic, kafka.deadLetterTopic])
                    .contains(name)
            {
                diagnostics.report(
                    .inconsistent, at: topic.location,
                    "topic \"\(name)\" is also an input or output topic; checkpoints need a topic of their own")
            }
        }

        var http = HTTPSettings(
            enabled: draft.httpEnabled?.value ?? true, address: draft.httpAddress?.value ?? HTTPSettings.defaultAddress,
            port: draft.httpPort?.value ?? HTTPSettings.defaultPort)
        if let address = overrides.httpAddress {
            if address.isEmpty { diagnostics.report(.invalidValue, at: .flag("--http-address"), "must not be empty") }
            http.address = address
        }
        if let port = overrides.httpPort {
            if !(0...65_535).contains(port) {
                diagnostics.report(.outOfRange, at: .flag("--http-port"), "\(port) is out of range 0...65535")
            }
            http.port = port
        }
        let logging = LoggingSettings(
            level: overrides.logLevel ?? draft.logLevel?.value ?? .info,
            format: overrides.logFormat ?? draft.logFormat?.value ?? .text)

        let versions = resolveVersions(draft, models: models)
        let scaleOut = resolveScaleOut(draft, models: models, state: state, kafka: kafka)
        guard diagnostics.errors.isEmpty, let kafka else { return nil }
        var configuration = DaemonConfiguration(
            sourceFile: sourceFile, kafka: kafka, limits: limits, models: models, state: state, http: http,
            logging: logging,
            versions: versions)
        configuration.scaleOut = scaleOut
        return configuration
    }

    /// `scale_out`: defaults, and what the stages need (docs/architecture.md, "Scale-out"): a
    /// state topic, an internal topic of its own, time windows, drift monitoring only.
    private func resolveScaleOut(
        _ draft: ConfigurationDraft, models: [ModelConfiguration], state: StateSettings, kafka: KafkaSettings?
    ) -> ScaleOutSettings {
        let settings = ScaleOutSettings(
            mode: draft.scaleOutMode?.value ?? .single,
            internalTopic: draft.scaleOutInternalTopic?.value ?? ScaleOutSettings.defaultInternalTopic,
            evaluatorGroup: draft.scaleOutEvaluatorGroup?.value ?? ScaleOutSettings.defaultEvaluatorGroup,
            inputPartitions: draft.scaleOutInputPartitions?.value,
            allowedLateness: .milliseconds(draft.scaleOutLatenessMillis?.value ?? 0),
            flushEvents: draft.scaleOutFlushEvents?.value ?? ScaleOutSettings.defaultFlushEvents,
            idleTimeout: draft.scaleOutIdleTimeoutMillis.map { .milliseconds($0.value) })
        guard settings.mode != .single, let location = draft.scaleOutMode?.location ?? draft.scaleOutLocation else {
            return settings
        }
        if state.topic == nil {
            diagnostics.report(
                .inconsistent, at: location,
                "scale_out mode \(settings.mode.rawValue) needs state.topic (each stage restores from Kafka on assignment)"
            )
        }
        if let kafka {
            let taken =
                kafka.inputTopics + kafka.labelTopics + [kafka.alertTopic, kafka.retrainTopic, kafka.deadLetterTopic]
                + [state.topic].compactMap { $0 }
            if taken.contains(settings.internalTopic) {
                diagnostics.report(
                    .inconsistent, at: draft.scaleOutInternalTopic?.location ?? location,
                    "internal topic \"\(settings.internalTopic)\" is also an input, output or state topic; it needs a topic of its own"
                )
            }
            if settings.evaluatorGroup == kafka.groupID {
                diagnostics.report(
                    .inconsistent, at: draft.scaleOutEvaluatorGroup?.location ?? location,
                    "evaluator_group must differ from kafka.group_id (the stages are two consumer groups)")
            }
        }
        for canary in draft.versions.canaries {
            diagnostics.report(
                .inconsistent, at: canary.location,
                "canary comparisons run on the single-process path; scale_out covers drift monitoring only (use mode single for them)"
            )
        }
        for model in models {
            if case .count = model.window {
                diagnostics.report(
                    .inconsistent, at: location,
                    "model \"\(model.model)\" has a count window; under scale_out windows are event-time (window.duration): the last N events of several partitions have no order of their own"
                )
            }
            if model.accuracy.enabled || !model.serving.objectives.isEmpty {
                diagnostics.report(
                    .inconsistent, at: location,
                    "model \"\(model.model)\" tracks accuracy or latency/cost objectives; scale_out covers drift monitoring only (use mode single for it)"
                )
            }
        }
        return settings
    }

    // MARK: - Kafka

    private func resolveKafka(_ draft: ConfigurationDraft, _ overrides: ConfigurationOverrides) -> KafkaSettings? {
        let k = draft.kafka
        func pick(_ flag: String, _ override: String?, _ fromFile: Located<String>?, _ fallback: String) -> Located<
            String
        > {
            if let override { return Located(value: override, location: .flag(flag)) }
            return fromFile ?? Located(value: fallback, location: draft.root.appending(key: "kafka", line: nil))
        }
        let brokers: Located<String>?
        if let value = overrides.brokers {
            brokers = Located(value: value, location: .flag("--brokers"))
        } else {
            brokers = k.brokers
        }
        if let brokers {
            checkBrokers(brokers)
        } else if requireBrokers {
            diagnostics.report(
                .missingKey, at: ConfigurationLocation(file: sourceFile, line: nil, keyPath: "kafka.brokers"),
                "no Kafka brokers: set kafka.brokers or give --brokers")
        }
        let groupID = pick("--group-id", overrides.groupID, k.groupID, KafkaSettings.defaultGroupID)
        if groupID.value.isEmpty { diagnostics.report(.invalidValue, at: groupID.location, "must not be empty") }
        let inputTopics: Located<[String]> =
            overrides.inputTopics.map { Located(value: $0, location: .flag("--input-topic")) }
            ?? k.inputTopics ?? Located(value: KafkaSettings.defaultInputTopics, location: draft.root)
        let labelTopics = k.labelTopics ?? Located(value: [], location: draft.root)
        let alert = pick("--alert-topic", overrides.alertTopic, k.alertTopic, KafkaSettings.defaultAlertTopic)
        let retrain = pick("--retrain-topic", overrides.retrainTopic, k.retrainTopic, KafkaSettings.defaultRetrainTopic)
        let deadLetter = pick(
            "--dead-letter-topic", overrides.deadLetterTopic, k.deadLetterTopic, KafkaSettings.defaultDeadLetterTopic)

        if inputTopics.value.isEmpty {
            diagnostics.report(.invalidValue, at: inputTopics.location, "at least one input topic is needed")
        }
        for topics in [inputTopics, labelTopics] {
            var seen = Set<String>()
            for topic in topics.value {
                checkTopic(topic, at: topics.location)
                if !seen.insert(topic).inserted {
                    diagnostics.report(.invalidValue, at: topics.location, "topic \"\(topic)\" is listed twice")
                }
            }
        }
        let outputs = [
            ("alert", alert, overrides.alertTopic != nil || k.alertTopic != nil),
            ("retrain", retrain, overrides.retrainTopic != nil || k.retrainTopic != nil),
            ("dead-letter", deadLetter, overrides.deadLetterTopic != nil || k.deadLetterTopic != nil)
        ]
        for (role, output, explicit) in outputs {
            checkTopic(output.value, at: output.location)
            for consumed in [inputTopics, labelTopics] where consumed.value.contains(output.value) {
                // Point at whichever side the user wrote; a default output topic is not on any line.
                diagnostics.report(
                    .inconsistent, at: explicit ? output.location : consumed.location,
                    "topic \"\(output.value)\" is both consumed and the \(role) topic; driftd would consume its own output"
                )
            }
        }
        for label in labelTopics.value where inputTopics.value.contains(label) {
            diagnostics.report(
                .inconsistent, at: labelTopics.location, "topic \"\(label)\" is both an input and a label topic")
        }
        // `${NAME}` is expanded here, at load time, so `driftd validate` reports an unset variable
        // at its line, and the property check sees the value the client will get.
        func plain(_ properties: Located<[Located<String>: String]>?) -> [String: String] {
            var result: [String: String] = [:]
            for (key, value) in (properties?.value ?? [:]).sorted(by: { $0.key.value < $1.key.value }) {
                switch EnvironmentReference.expand(value, environment: environment) {
                case .success(let expanded):
                    result[key.value] = expanded
                    if let checkProperty, let problem = checkProperty(key.value, expanded) {
                        diagnostics.report(.invalidProperty, at: key.location, problem)
                    }
                case .failure(let problem):
                    diagnostics.report(.missingEnvironment, at: key.location, problem.message)
                }
            }
            return result
        }
        let properties = plain(k.properties)
        let consumerProperties = plain(k.consumerProperties)
        let producerProperties = plain(k.producerProperties)
        guard brokers != nil || !requireBrokers else { return nil }
        // Formats of the topics consumed (an --input-topic keeps the format the file gives it).
        var formats: [InputTopic] = []
        for entry in k.inputTopicSettings
        where entry.value.format != .driftd && inputTopics.value.contains(entry.value.topic) {
            if entry.value.format == .seldonV2, !InputTopic.isSeldonModelTopic(entry.value.topic) {
                diagnostics.report(
                    .invalidValue, at: entry.location,
                    "format seldon-v2 reads Seldon Core 2 model topics seldon.<namespace>.model.<name>.inputs or .outputs, not \"\(entry.value.topic)\""
                )
            }
            formats.append(entry.value)
        }
        return KafkaSettings(
            brokers: brokers?.value ?? "", groupID: groupID.value, inputTopics: inputTopics.value,
            labelTopics: labelTopics.value,
            alertTopic: alert.value, retrainTopic: retrain.value, deadLetterTopic: deadLetter.value,
            properties: properties, consumerProperties: consumerProperties,
            producerProperties: producerProperties, batchSize: k.batchSize?.value ?? KafkaSettings.defaultBatchSize,
            inputFormats: formats,
            joinTTL: k.joinTTLMillis.map { .milliseconds($0.value) } ?? InputTopic.defaultJoinTTL,
            joinMaxPending: k.joinMaxPending?.value ?? InputTopic.defaultJoinMaxPending)
    }

    private func checkBrokers(_ brokers: Located<String>) {
        let entries = brokers.value.split(separator: ",", omittingEmptySubsequences: false)
        if brokers.value.isEmpty || entries.contains(where: { $0.isEmpty || $0.contains(where: \.isWhitespace) }) {
            diagnostics.report(
                .invalidValue, at: brokers.location,
                "expected host:port[,host:port...] without spaces, got \"\(brokers.value)\"")
        }
    }

    /// Kafka's topic name rule: 1 to 249 of `[A-Za-z0-9._-]`, not `.` or `..`.
    private func checkTopic(_ topic: String, at location: ConfigurationLocation) {
        let legal = topic.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_"
                || $0 == "-"
        }
        if topic.isEmpty || topic.count > 249 || !legal || topic == "." || topic == ".." {
            diagnostics.report(
                .invalidValue, at: location,
                "\"\(topic)\" is not a valid Kafka topic name (1 to 249 characters of a-z, A-Z, 0-9, '.', '_', '-')")
        }
    }

    // MARK: - Models

    private func resolveModels(_ draft: ConfigurationDraft, _ overrides: ConfigurationOverrides) -> [ModelConfiguration]
    {
        let entries: [(draft: ConfigurationDraft.Model, relativeTo: String?)]
        if let paths = overrides.baselines {
            entries = paths.map { path in
                var model = ConfigurationDraft.Model(location: .flag("--baseline"))
                model.baseline = Located(value: path, location: .flag("--baseline"))
                return (model, nil)
            }
        } else {
            entries = (draft.models?.value ?? []).map { ($0, baseDirectory) }
        }
        if entries.isEmpty {
            // A models key that failed to read has been reported already.
            if overrides.baselines != nil || !draft.hasModelsKey || draft.models != nil {
                diagnostics.report(
                    .noModels,
                    at: draft.models?.location ?? ConfigurationLocation(file: sourceFile, line: nil, keyPath: "models"),
                    "no models to monitor: list them under models or give --baseline")
            }
            return []
        }
        var models: [ModelConfiguration] = []
        var seen: [String: ConfigurationLocation] = [:]
        for (entry, directory) in entries {
            guard
                let model = resolveModel(
                    entry, defaults: draft.defaults, relativeTo: directory,
                    labelTopicsConfigured: !(draft.kafka.labelTopics?.value.isEmpty ?? true))
            else { continue }
            let location = entry.baseline?.location ?? entry.location
            let key = "\(model.model)\u{0}\(model.baseline.version)"
            if let first = seen[key] {
                diagnostics.report(
                    .duplicateModel, at: location,
                    "model \"\(model.model)\" version \"\(model.baseline.version)\" is already monitored by \(first.keyPath)\(first.lineSuffix); each (model, version) may appear once"
                )
                continue
            }
            seen[key] = location
            models.append(model)
        }
        return models
    }

    private func resolveVersions(_ draft: ConfigurationDraft, models: [ModelConfiguration]) -> VersionPolicy {
        var policy = VersionPolicy(
            unknownVersion: draft.versions.unknownVersion ?? .latest,
            retireAfter: draft.versions.retireAfterMillis.map { .milliseconds($0) })
        var canaryModels = Set<String>()
        for canary in draft.versions.canaries {
            let rule = canary.rule
            let versions = models.filter { $0.model == rule.model }.map(\.baseline.version)
            if versions.isEmpty {
                diagnostics.report(
                    .inconsistent, at: canary.location, "canary model \"\(rule.model)\" is not monitored")
                continue
            }
            var ok = true
            for (role, version) in [("incumbent", rule.incumbent), ("candidate", rule.candidate)]
            where !versions.contains(version) {
                diagnostics.report(
                    .inconsistent, at: canary.location,
                    "canary \(role) version \"\(version)\" of model \"\(rule.model)\" has no baseline (configured: \(versions.joined(separator: ", ")))"
                )
                ok = false
            }
            if rule.incumbent == rule.candidate {
                diagnostics.report(
                    .inconsistent, at: canary.location, "canary incumbent and candidate are the same version")
                ok = false
            }
            if !canaryModels.insert(rule.model).inserted {
                diagnostics.report(
                    .inconsistent, at: canary.location, "model \"\(rule.model)\" has a canary already; one per model")
                ok = false
            }
            if ok { policy.canaries.append(rule) }
        }
        return policy
    }

    private func resolveModel(
        _ entry: ConfigurationDraft.Model, defaults: ConfigurationDraft.Layer, relativeTo directory: String?,
        labelTopicsConfigured: Bool
    ) -> ModelConfiguration? {
        guard let baselineRef = entry.baseline else { return nil }
        let path = directory.map { Self.join($0, baselineRef.value) } ?? baselineRef.value
        let baseline: Baseline
        do { baseline = try BaselineFile.load(path: path) } catch {
            if error.code == .invalid {
                for problem in error.validationErrors {
                    diagnostics.report(
                        .baselineInvalid, at: baselineRef.location, "baseline \(path) is invalid: \(problem)")
                }
            } else {
                diagnostics.report(.baselineUnreadable, at: baselineRef.location, error.description)
            }
            // Keep checking the rest of the entry against no baseline: nothing more to do.
            return nil
        }

        let window = entry.layer.window ?? defaults.window
        let falseAlerts = entry.layer.falseAlerts ?? defaults.falseAlerts
        let interval = entry.layer.evaluationIntervalMillis ?? defaults.evaluationIntervalMillis
        let modelDraft = defaults.drift.overlaid(by: entry.layer.drift)
        let retrain = defaults.retrain.overlaid(by: entry.layer.retrain).rule
        let accuracy = defaults.accuracy.overlaid(by: entry.layer.accuracy)
            .resolve(baseline: baseline, labelTopicsConfigured: labelTopicsConfigured, diagnostics: diagnostics)
        modelDraft.checkThresholds(diagnostics)

        var overridesByFeature: [String: DriftRuleDraft] = [:]
        let featureNames = baseline.features.map(\.name)
        for (name, rule) in entry.features {
            guard featureNames.contains(name.value) else {
                diagnostics.report(
                    .unknownFeature, at: name.location,
                    "baseline \(baseline.id) has no feature \"\(name.value)\"\(KeySuggestion.hint(for: name.value, among: featureNames))"
                )
                continue
            }
            overridesByFeature[name.value] = rule
        }

        var mismatches: [(location: ConfigurationLocation, method: DriftMethod, reason: String, features: [String])] =
            []
        func check(_ draft: DriftRuleDraft, _ profile: FeatureProfile) -> AlertRule {
            draft.checkThresholds(diagnostics)
            let rule = draft.rule
            if rule.enabled, let method = draft.method, let chosen = method.value,
                let reason = Self.applicabilityProblem(chosen, profile)
            {
                if let i = mismatches.firstIndex(where: { $0.location == method.location && $0.reason == reason }) {
                    mismatches[i].features.append(profile.name)
                } else {
                    mismatches.append((method.location, chosen, reason, [profile.name]))
                }
            }
            if rule.enabled, case .count(let size, _)? = window?.value, rule.minSamples > size {
                let location = draft.minSamples?.location ?? window?.location ?? entry.location
                diagnostics.report(
                    .inconsistent, at: location,
                    "min_samples \(rule.minSamples) exceeds the window size \(size) of model \(baseline.model); no verdict could ever be given"
                )
            }
            return rule
        }

        var featureRules: [String: AlertRule] = [:]
        for profile in baseline.features {
            featureRules[profile.name] = check(
                modelDraft.overlaid(by: overridesByFeature[profile.name] ?? DriftRuleDraft()), profile)
        }
        var predictionRule: AlertRule?
        if let prediction = baseline.prediction {
            predictionRule = check(modelDraft.overlaid(by: entry.prediction?.value ?? DriftRuleDraft()), prediction)
        } else if let overrides = entry.prediction {
            diagnostics.report(
                .unknownFeature, at: overrides.location,
                "baseline \(baseline.id) has no prediction profile to configure")
        }
        for mismatch in mismatches {
            diagnostics.report(
                .methodNotApplicable, at: mismatch.location,
                "\(mismatch.method.rawValue) \(mismatch.reason): \(mismatch.features.joined(separator: ", ")) (model \(baseline.model))"
            )
        }

        let tensors = entry.tensors.map { resolveTensors($0, baseline: baseline) }
        return ModelConfiguration(
            baselinePath: path, baseline: baseline, window: window?.value ?? .default,
            evaluationInterval: .milliseconds(interval?.value ?? 10_000), defaultRule: modelDraft.rule,
            featureRules: featureRules,
            predictionRule: predictionRule, retrain: retrain, accuracy: accuracy,
            serving: defaults.serving.overlaid(by: entry.layer.serving).rule,
            falseAlerts: falseAlerts?.value ?? .default, tensors: tensors)
    }

    /// Checks a `tensors` mapping against the baseline: every named column is a baseline feature,
    /// no feature is fed twice, and a prediction is mapped only for a baseline with a prediction profile.
    private func resolveTensors(_ draft: ConfigurationDraft.TensorsDraft, baseline: Baseline) -> TensorMapping {
        let featureNames = baseline.features.map(\.name)
        var seen: [String: ConfigurationLocation] = [:]
        var tensorNames = Set<String>()
        for (tensor, columns) in draft.inputs {
            if !tensorNames.insert(tensor.value).inserted {
                diagnostics.report(
                    .invalidValue, at: tensor.location, "input tensor \"\(tensor.value)\" is listed twice")
            }
            for column in columns {
                guard let name = column.value else { continue }
                guard featureNames.contains(name) else {
                    diagnostics.report(
                        .unknownFeature, at: column.location,
                        "baseline \(baseline.id) has no feature \"\(name)\"\(KeySuggestion.hint(for: name, among: featureNames))"
                    )
                    continue
                }
                if let first = seen[name] {
                    diagnostics.report(
                        .invalidValue, at: column.location,
                        "feature \"\(name)\" is already fed by a tensor column\(first.lineSuffix)")
                }
                seen[name] = column.location
            }
        }
        if let prediction = draft.prediction, baseline.prediction == nil {
            diagnostics.report(
                .unknownFeature, at: prediction.location,
                "baseline \(baseline.id) has no prediction profile to map a tensor to")
        }
        return TensorMapping(
            inputs: draft.inputs.map { TensorMapping.Input(tensor: $0.tensor.value, columns: $0.columns.map(\.value)) },
            prediction: baseline.prediction == nil ? nil : draft.prediction?.value)
    }

    /// Why a method cannot score a feature, or `nil` when it can.
    static func applicabilityProblem(_ method: DriftMethod, _ profile: FeatureProfile) -> String? {
        if method.requiresNumeric, profile.type != .numeric {
            return "needs numeric features, not categorical"
        }
        if method == .zTest, profile.type != .categorical || (profile.categories?.count ?? 0) > 2 {
            return "needs binary features (categorical with at most 2 categories)"
        }
        return nil
    }

    // MARK: - Paths

    private func resolvePath(_ path: String) -> String {
        baseDirectory.map { Self.join($0, path) } ?? path
    }

    static func join(_ directory: String, _ path: String) -> String {
        if path.hasPrefix("/") || directory.isEmpty { return path }
        return (directory as NSString).appendingPathComponent(path)
    }
}
