import DriftCore
import Yams

/// Turns the composed YAML tree into a `ConfigurationDraft`, reporting every type and key error.
struct ConfigurationDocumentReader {
    static let rootKeys = ["kafka", "limits", "defaults", "models", "versions", "state", "http", "logging", "scale_out"]
    static let kafkaKeys = [
        "brokers", "group_id", "input_topics", "label_topics", "alert_topic", "retrain_topic", "dead_letter_topic",
        "properties", "consumer_properties", "producer_properties", "batch_size", "join_ttl", "join_max_pending"
    ]
    static let layerKeys = [
        "window", "evaluation", "drift", "retrain", "accuracy", "performance", "latency", "cost", "false_alerts"
    ]
    static let modelKeys = ["baseline", "features", "prediction", "tensors"] + layerKeys

    let reader: ConfigurationReader

    /// Reads the whole document.
    func read(_ root: ConfigurationValue) -> ConfigurationDraft {
        var draft = ConfigurationDraft(root: root.location)
        guard let sections = reader.mapping(root, keys: Self.rootKeys) else { return draft }
        if let v = sections["kafka"] { draft.kafka = readKafka(v) }
        if let v = sections["limits"],
            let entries = reader.mapping(v, keys: ["max_event_bytes", "max_future_skew", "decode_threads"])
        {
            if let e = entries["max_event_bytes"], let n = reader.int(e, in: 256...16_777_216) {
                draft.maxEventBytes = Located(value: n, location: e.location)
            }
            if let e = entries["max_future_skew"], let ms = reader.duration(e, in: 1_000...31_536_000_000) {
                draft.maxFutureSkewMillis = Located(value: ms, location: e.location)
            }
            if let e = entries["decode_threads"], let n = reader.int(e, in: 0...256) {
                draft.decodeThreads = Located(value: n, location: e.location)
            }
        }
        if let v = sections["defaults"] { draft.defaults = readLayer(v) }
        draft.hasModelsKey = sections["models"] != nil
        if let v = sections["models"], let elements = reader.list(v) {
            draft.models = Located(value: elements.compactMap(readModel), location: v.location)
        }
        if let v = sections["versions"] {
            draft.versions = VersionsDraft.read(v, with: reader)
            draft.versionsLocation = v.location
        }
        if let v = sections["state"],
            let entries = reader.mapping(v, keys: ["directory", "topic", "checkpoint_interval"])
        {
            if let e = entries["topic"], let t = reader.optionalString(e) {
                draft.stateTopic = Located(value: t, location: e.location)
            }
            if let e = entries["directory"], let d = reader.optionalString(e) {
                draft.stateDirectory = Located(value: d, location: e.location)
            }
            if let e = entries["checkpoint_interval"], let ms = reader.duration(e, in: 100...86_400_000) {
                draft.checkpointIntervalMillis = Located(value: ms, location: e.location)
            }
        }
        if let v = sections["scale_out"],
            let entries = reader.mapping(
                v,
                keys: [
                    "mode", "internal_topic", "evaluator_group", "input_partitions", "allowed_lateness", "flush_events",
                    "idle_timeout"
                ])
        {
            draft.scaleOutLocation = v.location
            if let e = entries["mode"], let m = reader.choice(e, ScaleOutSettings.Mode.self) {
                draft.scaleOutMode = Located(value: m, location: e.location)
            }
            if let e = entries["internal_topic"], let t = reader.string(e) {
                draft.scaleOutInternalTopic = Located(value: t, location: e.location)
            }
            if let e = entries["evaluator_group"], let g = reader.string(e) {
                draft.scaleOutEvaluatorGroup = Located(value: g, location: e.location)
            }
            if let e = entries["input_partitions"], let n = reader.int(e, in: 1...100_000) {
                draft.scaleOutInputPartitions = Located(value: n, location: e.location)
            }
            if let e = entries["allowed_lateness"], let ms = reader.duration(e, in: 0...86_400_000) {
                draft.scaleOutLatenessMillis = Located(value: ms, location: e.location)
            }
            if let e = entries["flush_events"], let n = reader.int(e, in: 1...100_000_000) {
                draft.scaleOutFlushEvents = Located(value: n, location: e.location)
            }
            if let e = entries["idle_timeout"], let ms = reader.duration(e, in: 100...86_400_000) {
                draft.scaleOutIdleTimeoutMillis = Located(value: ms, location: e.location)
            }
        }
        if let v = sections["http"], let entries = reader.mapping(v, keys: ["enabled", "address", "port"]) {
            if let e = entries["enabled"], let b = reader.bool(e) {
                draft.httpEnabled = Located(value: b, location: e.location)
            }
            if let e = entries["address"], let s = reader.string(e) {
                draft.httpAddress = Located(value: s, location: e.location)
            }
            if let e = entries["port"], let p = reader.int(e, in: 0...65_535) {
                draft.httpPort = Located(value: p, location: e.location)
            }
        }
        if let v = sections["logging"], let entries = reader.mapping(v, keys: ["level", "format"]) {
            if let e = entries["level"], let l = reader.choice(e, LoggingSettings.Level.self) {
                draft.logLevel = Located(value: l, location: e.location)
            }
            if let e = entries["format"], let f = reader.choice(e, LoggingSettings.Format.self) {
                draft.logFormat = Located(value: f, location: e.location)
            }
        }
        return draft
    }

    // MARK: - Sections

    private func readKafka(_ value: ConfigurationValue) -> ConfigurationDraft.Kafka {
        var kafka = ConfigurationDraft.Kafka()
        guard let entries = reader.mapping(value, keys: Self.kafkaKeys) else { return kafka }
        func text(_ key: String) -> Located<String>? {
            guard let v = entries[key], let s = reader.string(v) else { return nil }
            return Located(value: s, location: v.location)
        }
        func texts(_ key: String) -> Located<[String]>? {
            guard let v = entries[key], let list = reader.stringList(v) else { return nil }
            return Located(value: list, location: v.location)
        }
        kafka.brokers = text("brokers")
        kafka.groupID = text("group_id")
        if let v = entries["input_topics"] { readInputTopics(v, into: &kafka) }
        if let v = entries["join_ttl"], let ms = reader.duration(v, in: 100...86_400_000) {
            kafka.joinTTLMillis = Located(value: ms, location: v.location)
        }
        if let v = entries["join_max_pending"], let n = reader.int(v, in: 1...10_000_000) {
            kafka.joinMaxPending = Located(value: n, location: v.location)
        }
        kafka.labelTopics = texts("label_topics")
        kafka.alertTopic = text("alert_topic")
        kafka.retrainTopic = text("retrain_topic")
        kafka.deadLetterTopic = text("dead_letter_topic")
        kafka.properties = entries["properties"].flatMap(readProperties)
        kafka.consumerProperties = entries["consumer_properties"].flatMap(readProperties)
        kafka.producerProperties = entries["producer_properties"].flatMap(readProperties)
        if let v = entries["batch_size"], let n = reader.int(v, in: 1...1_000_000) {
            kafka.batchSize = Located(value: n, location: v.location)
        }
        return kafka
    }

    /// `input_topics`: a topic name, or a list whose entries are names (format `driftd`) or
    /// mappings `{topic, format, model}`.
    private func readInputTopics(_ value: ConfigurationValue, into kafka: inout ConfigurationDraft.Kafka) {
        let elements: [ConfigurationValue]
        if value.scalar != nil, !value.isNull {
            elements = [value]
        } else {
            guard let list = reader.list(value) else { return }
            elements = list
        }
        var names: [String] = []
        var ok = true
        for element in elements {
            if element.scalar != nil {
                guard let name = reader.string(element) else {
                    ok = false
                    continue
                }
                names.append(name)
                kafka.inputTopicSettings.append(Located(value: InputTopic(topic: name), location: element.location))
                continue
            }
            guard let entries = reader.mapping(element, keys: ["topic", "format", "model"]) else {
                ok = false
                continue
            }
            guard let t = entries["topic"] else {
                reader.diagnostics.report(
                    .missingKey, at: element.location.appending(key: "topic", line: nil),
                    "missing required key \"topic\"")
                ok = false
                continue
            }
            guard let name = reader.string(t) else {
                ok = false
                continue
            }
            var topic = InputTopic(topic: name)
            if let f = entries["format"] {
                guard let format = reader.choice(f, InputFormat.self) else {
                    ok = false
                    continue
                }
                topic.format = format
            }
            if let m = entries["model"] {
                guard let model = reader.string(m) else {
                    ok = false
                    continue
                }
                topic.model = model
            }
            names.append(name)
            kafka.inputTopicSettings.append(Located(value: topic, location: element.location))
        }
        if ok { kafka.inputTopics = Located(value: names, location: value.location) }
    }

    /// `models[].tensors`: `inputs` (a list of `{name, columns}`) and an optional
    /// `prediction` (`{name, column}`).
    private func readTensors(_ value: ConfigurationValue) -> ConfigurationDraft.TensorsDraft? {
        guard let entries = reader.mapping(value, keys: ["inputs", "prediction"]) else { return nil }
        var draft = ConfigurationDraft.TensorsDraft(location: value.location)
        guard let inputs = entries["inputs"] else {
            reader.diagnostics.report(
                .missingKey, at: value.location.appending(key: "inputs", line: nil), "missing required key \"inputs\"")
            return nil
        }
        guard let list = reader.list(inputs) else { return nil }
        if list.isEmpty {
            reader.diagnostics.report(.invalidValue, at: inputs.location, "at least one input tensor is needed")
        }
        for element in list {
            guard let fields = reader.mapping(element, keys: ["name", "columns"]) else { continue }
            guard let n = fields["name"], let name = reader.string(n) else {
                if fields["name"] == nil {
                    reader.diagnostics.report(
                        .missingKey, at: element.location.appending(key: "name", line: nil),
                        "missing required key \"name\"")
                }
                continue
            }
            guard let c = fields["columns"] else {
                reader.diagnostics.report(
                    .missingKey, at: element.location.appending(key: "columns", line: nil),
                    "missing required key \"columns\" (the feature of each column; null for a column not monitored)")
                continue
            }
            let columnValues: [ConfigurationValue]
            if c.scalar != nil, !c.isNull {
                columnValues = [c]
            } else {
                guard let values = reader.list(c) else { continue }
                columnValues = values
            }
            if columnValues.isEmpty {
                reader.diagnostics.report(.invalidValue, at: c.location, "at least one column is needed")
            }
            var columns: [Located<String?>] = []
            for column in columnValues {
                if column.isNull {
                    columns.append(Located(value: nil, location: column.location))
                } else if let feature = reader.string(column) {
                    columns.append(Located(value: feature, location: column.location))
                }
            }
            draft.inputs.append((Located(value: name, location: n.location), columns))
        }
        if let p = entries["prediction"], let fields = reader.mapping(p, keys: ["name", "column"]) {
            if let n = fields["name"], let name = reader.string(n) {
                var column = 0
                if let c = fields["column"], let index = reader.int(c, in: 0...1_000_000) { column = index }
                draft.prediction = Located(
                    value: TensorMapping.Output(tensor: name, column: column), location: p.location)
            } else if fields["name"] == nil {
                reader.diagnostics.report(
                    .missingKey, at: p.location.appending(key: "name", line: nil), "missing required key \"name\"")
            }
        }
        return draft
    }

    private func readProperties(_ value: ConfigurationValue) -> Located<[Located<String>: String]>? {
        guard let pairs = reader.pairs(value) else { return nil }
        var properties: [Located<String>: String] = [:]
        for (key, v) in pairs {
            if KafkaSettings.reservedProperties.contains(key.value) {
                let replacement =
                    switch key.value {
                    case "group.id": "kafka.group_id"
                    case "enable.auto.offset.store": "nothing (driftd stores offsets itself once a batch is applied)"
                    case "enable.auto.commit":
                        "nothing (driftd commits at checkpoints, once the outputs are acknowledged and the state is saved)"
                    default: "kafka.brokers"
                    }
                reader.diagnostics.report(
                    .reservedProperty, at: key.location, "\"\(key.value)\" is set by driftd; use \(replacement) instead"
                )
                continue
            }
            guard v.scalar != nil, !v.isNull, let text = reader.string(v, allowEmpty: true) else {
                if v.scalar == nil || v.isNull {
                    reader.diagnostics.report(
                        .typeMismatch, at: v.location, "expected a librdkafka property value (text), got \(v.described)"
                    )
                }
                continue
            }
            properties[key] = text
        }
        return Located(value: properties, location: value.location)
    }

    private func readLayer(_ value: ConfigurationValue) -> ConfigurationDraft.Layer {
        guard let entries = reader.mapping(value, keys: Self.layerKeys) else { return ConfigurationDraft.Layer() }
        return readLayer(entries)
    }

    private func readLayer(_ entries: [String: ConfigurationValue]) -> ConfigurationDraft.Layer {
        var layer = ConfigurationDraft.Layer()
        if let v = entries["window"] { layer.window = WindowDraft.read(v, with: reader) }
        if let v = entries["evaluation"], let e = reader.mapping(v, keys: ["interval"]), let i = e["interval"],
            let ms = reader.duration(i, in: 100...86_400_000)
        {
            layer.evaluationIntervalMillis = Located(value: ms, location: i.location)
        }
        if let v = entries["drift"] { layer.drift = DriftRuleDraft.read(v, with: reader) }
        if let v = entries["retrain"] { layer.retrain = RetrainDraft.read(v, with: reader) }
        if let v = entries["accuracy"] { layer.accuracy = AccuracyDraft.read(v, with: reader) }
        if let v = entries["latency"] { layer.serving.latency = ServingDraft.readLatency(v, with: reader) }
        if let v = entries["cost"] { layer.serving.cost = ServingDraft.readCost(v, with: reader) }
        if let v = entries["performance"] {
            if entries["accuracy"] != nil {
                reader.diagnostics.report(
                    .inconsistent, at: v.location,
                    "accuracy: and performance: are both set here; performance: replaces accuracy: (move its keys, and min_accuracy as rules: [{ metric: accuracy, below: ... }])"
                )
            } else {
                layer.accuracy = AccuracyDraft.read(v, with: reader, performance: true)
            }
        }
        if let v = entries["false_alerts"] { layer.falseAlerts = FalseAlertsDraft.read(v, with: reader) }
        return layer
    }

    private func readModel(_ value: ConfigurationValue) -> ConfigurationDraft.Model? {
        guard let entries = reader.mapping(value, keys: Self.modelKeys) else { return nil }
        var model = ConfigurationDraft.Model(location: value.location)
        if let v = entries["baseline"] {
            if let path = reader.string(v) { model.baseline = Located(value: path, location: v.location) }
        } else {
            reader.diagnostics.report(
                .missingKey, at: value.location.appending(key: "baseline", line: nil),
                "missing required key \"baseline\"")
        }
        model.layer = readLayer(entries)
        if let v = entries["features"], let pairs = reader.pairs(v) {
            model.features = pairs.map { key, featureValue in (key, DriftRuleDraft.read(featureValue, with: reader)) }
        }
        if let v = entries["prediction"] {
            model.prediction = Located(value: DriftRuleDraft.read(v, with: reader), location: v.location)
        }
        if let v = entries["tensors"] { model.tensors = readTensors(v) }
        return model
    }
}
