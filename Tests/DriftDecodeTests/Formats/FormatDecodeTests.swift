import DriftCore
import DriftDecode
import Testing

@Suite("Input formats")
struct FormatDecodeTests {
    typealias Message = FormatFixtures.Message

    static func transcoder(
        _ topics: [InputTopic], mappings: [String: TensorMapping] = [:], ttl: Int64 = 30_000,
        maxPending: Int = 100
    ) throws -> InputTranscoder {
        try InputTranscoder(
            topics: topics, mappings: mappings, maxBytes: 65_536, joinTTL: .milliseconds(ttl),
            joinMaxPending: maxPending)
    }

    // MARK: - CloudEvents

    @Test func cloudEventsStructuredModeUnwrapsData() throws {
        let t = try Self.transcoder([InputTopic(topic: "ce", format: .cloudevents)])
        let (batch, decoded) = try FormatFixtures.run(
            t, [Message(topic: "ce", value: FormatFixtures.bytes("cloudevents-structured.json"))],
            baselines: [TestSchemas.churnBaseline()])
        #expect(batch.rejects.isEmpty)
        #expect(decoded.rejects.isEmpty)
        let churn = try #require(decoded.models.first)
        #expect(churn.columns.rowCount == 1)
        #expect(churn.columns.features[0] == [14])
        #expect(churn.columns.features[1] == [4200.5])
        #expect(churn.columns.predictions == [0.82])
        #expect(churn.columns.timestamps == [1_700_000_000_000])
        #expect(churn.eventIDs == ["evt-1"])
    }

    @Test func cloudEventsBinaryModeTakesThePayload() throws {
        let t = try Self.transcoder([InputTopic(topic: "ce", format: .cloudevents)])
        let event = #"{"model":"churn","features":{"tenure":30,"plan":"basic"}}"#
        let headers = [
            "ce_specversion": "1.0", "ce_id": "1", "ce_source": "/s", "ce_type": "t", "content-type": "application/json"
        ]
        var missingID = headers
        missingID["ce_id"] = nil
        var badVersion = headers
        badVersion["ce_specversion"] = "0.3"
        let (batch, decoded) = try FormatFixtures.run(
            t,
            [
                Message(topic: "ce", value: Array(event.utf8), headers: headers),
                Message(topic: "ce", value: Array(event.utf8), headers: missingID),
                Message(topic: "ce", value: Array(event.utf8), headers: badVersion)
            ], baselines: [TestSchemas.churnBaseline()])
        #expect(decoded.acceptedCount == 1)
        #expect(decoded.models.first?.columns.features[0] == [30])
        #expect(batch.rejects.map(\.messageIndex) == [1, 2])
        #expect(batch.rejects.map(\.error.code) == [.invalidCloudEvent, .invalidCloudEvent])
        #expect(batch.rejects.map(\.error.field) == ["ce_id", "ce_specversion"])
    }

    @Test(
        arguments: [
            (#"{"specversion":"1.0","id":"1","source":"/s","type":"t"}"#, DecodeError.Code.missingData, "data"),
            (#"{"specversion":"1.0","id":"1","source":"/s","type":"t","data":[1]}"#, .missingData, "data"),
            (
                #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data_base64":"e30="}"#, .missingData,
                "data_base64"
            ),
            (#"{"specversion":"0.3","id":"1","source":"/s","type":"t","data":{}}"#, .invalidCloudEvent, "specversion"),
            (#"{"id":"1","source":"/s","type":"t","data":{}}"#, .invalidCloudEvent, "specversion"),
            (#"{"specversion":"1.0","source":"/s","type":"t","data":{}}"#, .invalidCloudEvent, "id"),
            (#"{"specversion":"1.0","id":1,"source":"/s","type":"t","data":{}}"#, .invalidCloudEvent, "id"),
            (#"{"specversion":"1.0","id":"1","type":"t","data":{}}"#, .invalidCloudEvent, "source"),
            (#"{"specversion":"1.0","id":"1","source":"/s","data":{}}"#, .invalidCloudEvent, "type"),
            (#"{"specversion":"1.0","id":"1","source":"/s","type":"t","data":{}"#, .invalidJSON, nil),
            (#"[1]"#, .notAnObject, nil)
        ] as [(String, DecodeError.Code, String?)])
    func cloudEventsStructuredRejects(json: String, code: DecodeError.Code, field: String?) throws {
        let t = try Self.transcoder([InputTopic(topic: "ce", format: .cloudevents)])
        let (batch, decoded) = try FormatFixtures.run(
            t, [Message(topic: "ce", value: Array(json.utf8))], baselines: [TestSchemas.churnBaseline()])
        #expect(decoded.acceptedCount == 0)
        #expect(batch.rejects.map(\.error.code) == [code])
        #expect(batch.rejects.first?.error.field == field)
    }

    // MARK: - Open Inference Protocol v2 JSON

    @Test func oipSpecExampleRequestIsRejectedForItsShape() throws {
        let t = try Self.transcoder(
            [InputTopic(topic: "oip", format: .oipV2, model: "mymodel")],
            mappings: ["mymodel": FormatFixtures.mymodelMapping])
        let (batch, _) = try FormatFixtures.run(
            t, [Message(topic: "oip", value: FormatFixtures.bytes("oip-v2-spec-request.json"))],
            baselines: [FormatFixtures.mymodel()])
        #expect(batch.rejects.map(\.error.code) == [.invalidTensor])
        #expect(batch.rejects.first?.error.field == "inputs[1].data")
    }

    @Test func oipRequestAndResponseJoinByID() throws {
        let t = try Self.transcoder(
            [InputTopic(topic: "oip", format: .oipV2, model: "mymodel")],
            mappings: ["mymodel": FormatFixtures.mymodelMapping])
        let (batch, decoded) = try FormatFixtures.run(
            t,
            [
                Message(topic: "oip", value: FormatFixtures.bytes("oip-v2-request.json"), timestampMs: 5_000),
                Message(topic: "oip", value: FormatFixtures.bytes("oip-v2-response.json"), timestampMs: 6_000)
            ], baselines: [FormatFixtures.mymodel()])
        #expect(batch.rejects.isEmpty)
        #expect(decoded.rejects.isEmpty)
        #expect(batch.entries.map(\.message) == [1, 1])
        let model = try #require(decoded.models.first)
        // A [2, 2] input0 is two events; input1's BOOL column is the categorical flag.
        #expect(model.columns.features[0] == [1, 3])
        #expect(model.columns.features[1] == [2, 4])
        #expect(model.columns.features[2] == [0, 1])
        #expect(model.columns.predictions == [1.0, 2.0])
        #expect(model.columns.timestamps == [5_000, 5_000])
        #expect(model.eventIDs == ["42/0", "42/1"])
        #expect(batch.pendingHalves == 0)
    }

    @Test func oipResponseFirstAlsoJoins() throws {
        let t = try Self.transcoder(
            [InputTopic(topic: "oip", format: .oipV2, model: "mymodel")],
            mappings: ["mymodel": FormatFixtures.mymodelMapping])
        let (_, decoded) = try FormatFixtures.run(
            t,
            [
                Message(topic: "oip", value: FormatFixtures.bytes("oip-v2-response.json")),
                Message(topic: "oip", value: FormatFixtures.bytes("oip-v2-request.json"))
            ], baselines: [FormatFixtures.mymodel()])
        #expect(decoded.models.first?.columns.predictions == [1.0, 2.0])
    }

    @Test func oipWithoutPredictionMappingEmitsRequestsAtOnceAndIgnoresResponses() throws {
        var mapping = FormatFixtures.mymodelMapping
        mapping.prediction = nil
        let t = try Self.transcoder(
            [InputTopic(topic: "oip", format: .oipV2, model: "mymodel")], mappings: ["mymodel": mapping])
        let nested =
            #"{"inputs":[{"name":"input0","shape":[2,2],"datatype":"UINT32","data":[[1,2],[3,4]]},{"name":"input1","datatype":"BOOL","shape":[2],"data":[true,false]}]}"#
        let (batch, decoded) = try FormatFixtures.run(
            t,
            [
                Message(topic: "oip", value: FormatFixtures.bytes("oip-v2-request.json")),
                Message(topic: "oip", value: FormatFixtures.bytes("oip-v2-response.json")),
                Message(topic: "oip", value: Array(nested.utf8))
            ], baselines: [FormatFixtures.mymodel()])
        #expect(batch.rejects.isEmpty)
        #expect(batch.entries.map(\.message) == [0, 0, 2, 2])
        let model = try #require(decoded.models.first)
        #expect(model.columns.features[0] == [1, 3, 1, 3])
        #expect(model.columns.predictions.allSatisfy { $0.isNaN })
    }

    @Test(
        arguments: [
            (
                #"{"inputs":[{"name":"input0","shape":[2,2],"datatype":"UINT32","data":[1,2,3]}]}"#,
                DecodeError.Code.invalidTensor, "inputs[0].data"
            ),
            (
                #"{"inputs":[{"name":"input0","shape":[2,2],"datatype":"FP33","data":[1,2,3,4]}]}"#, .invalidTensor,
                "inputs[0].datatype"
            ),
            (
                #"{"inputs":[{"name":"input0","shape":[2,-1],"datatype":"FP32","data":[1,2,3,4]}]}"#, .invalidTensor,
                "inputs[0].shape"
            ),
            (
                #"{"inputs":[{"name":"input0","shape":[4],"datatype":"FP32","data":[1,"2",3,4]}]}"#, .invalidTensor,
                "inputs[0].data"
            ),
            (
                #"{"inputs":[{"name":"input0","shape":[1],"datatype":"BOOL","data":[1]}]}"#, .invalidTensor,
                "inputs[0].data"
            ),
            (
                #"{"inputs":[{"name":"input0","shape":[1],"datatype":"FP32","data":[null]}]}"#, .invalidTensor,
                "inputs[0].data"
            ),
            (#"{"inputs":[{"shape":[1],"datatype":"FP32","data":[1]}]}"#, .invalidTensor, "inputs[0].name"),
            (#"{"inputs":[{"name":"input0","datatype":"FP32","data":[1]}]}"#, .invalidTensor, "inputs[0].shape"),
            (#"{"inputs":[{"name":"input0","shape":[1],"datatype":"FP32"}]}"#, .invalidTensor, "inputs[0].data"),
            (#"{"id":"1","parameters":{}}"#, .noTensors, "inputs"),
            (
                #"{"inputs":[{"name":"other","shape":[1],"datatype":"FP32","data":[1]}]}"#, .missingTensor,
                "inputs.input0"
            ),
            (
                #"{"inputs":[{"name":"input0","shape":[1,3],"datatype":"FP32","data":[1,2,3]},{"name":"input1","shape":[1],"datatype":"BOOL","data":[true]}]}"#,
                .tensorShapeMismatch, "inputs.input0"
            ),
            (
                #"{"inputs":[{"name":"input0","shape":[1,2],"datatype":"FP32","data":[1,2]},{"name":"input1","shape":[2],"datatype":"BOOL","data":[true,true]}]}"#,
                .tensorShapeMismatch, "inputs.input1"
            ),
            (#"{"inputs":[{"name":"input0","shape":[1,2],"datatype":"FP32","data":[1,2]}"#, .invalidJSON, nil)
        ] as [(String, DecodeError.Code, String?)])
    func oipRejects(json: String, code: DecodeError.Code, field: String?) throws {
        var mapping = FormatFixtures.mymodelMapping
        mapping.prediction = nil
        let t = try Self.transcoder(
            [InputTopic(topic: "oip", format: .oipV2, model: "mymodel")], mappings: ["mymodel": mapping])
        let (batch, decoded) = try FormatFixtures.run(
            t, [Message(topic: "oip", value: Array(json.utf8))], baselines: [FormatFixtures.mymodel()])
        #expect(decoded.acceptedCount == 0)
        #expect(batch.rejects.map(\.error.code) == [code])
        #expect(batch.rejects.first?.error.field == field)
    }

    @Test func oipModelMustBeKnownAndMapped() throws {
        let t = try Self.transcoder(
            [InputTopic(topic: "oip", format: .oipV2)], mappings: ["mymodel": FormatFixtures.mymodelMapping])
        let unmapped =
            #"{"model_name":"other","id":"1","outputs":[{"name":"o","shape":[1],"datatype":"FP32","data":[1]}]}"#
        let (batch, _) = try FormatFixtures.run(
            t,
            [
                Message(topic: "oip", value: FormatFixtures.bytes("oip-v2-request.json")),
                Message(topic: "oip", value: Array(unmapped.utf8))
            ], baselines: [FormatFixtures.mymodel()])
        #expect(batch.rejects.map(\.error.code) == [.missingModel, .unmappedModel])
    }

    // MARK: - Joins

    @Test func unmatchedHalvesExpireAndAreBounded() throws {
        let t = try Self.transcoder(
            [InputTopic(topic: "oip", format: .oipV2, model: "mymodel")],
            mappings: ["mymodel": FormatFixtures.mymodelMapping], ttl: 1_000, maxPending: 2)
        func request(_ id: String) -> Message {
            Message(
                topic: "oip",
                value: Array(
                    #"{"id":"\#(id)","inputs":[{"name":"input0","shape":[1,2],"datatype":"FP32","data":[1,2]},{"name":"input1","shape":[1],"datatype":"BOOL","data":[true]}]}"#
                        .utf8))
        }
        var (batch, _) = try FormatFixtures.run(
            t, [request("a"), request("b"), request("c"), request("c")],
            baselines: [FormatFixtures.mymodel()], now: WallClockTime(millisecondsSinceEpoch: 0))
        // "a" is evicted by "c" (bound 2), the first "c" replaced by the second.
        #expect(
            batch.unmatched == [
                .init(topic: "oip", half: "request", reason: "evicted"): 1,
                .init(topic: "oip", half: "request", reason: "replaced"): 1
            ])
        #expect(batch.pendingHalves == 2)
        (batch, _) = try FormatFixtures.run(
            t, [], baselines: [FormatFixtures.mymodel()], now: WallClockTime(millisecondsSinceEpoch: 999))
        #expect(batch.unmatched.isEmpty)
        (batch, _) = try FormatFixtures.run(
            t, [], baselines: [FormatFixtures.mymodel()], now: WallClockTime(millisecondsSinceEpoch: 1_000))
        #expect(batch.unmatched == [.init(topic: "oip", half: "request", reason: "expired"): 2])
        #expect(batch.pendingHalves == 0)
    }

    // MARK: - KServe inference logger

    static let loggerHeaders = [
        "ce_specversion": "1.0", "ce_id": "0009174a-24a8-4603-b098-09c8799950e9", "ce_source": "http://localhost:9081/",
        "ce_inferenceservicename": "sklearn-iris", "ce_namespace": "default", "ce_endpoint": "",
        "content-type": "application/json"
    ]

    @Test func kserveLoggerBinaryModeJoinsRequestAndResponse() throws {
        let t = try Self.transcoder(
            [InputTopic(topic: "logger", format: .kserveLogger)], mappings: ["sklearn-iris": FormatFixtures.irisMapping]
        )
        var request = Self.loggerHeaders
        request["ce_type"] = InputTranscoder.kserveRequestType
        var response = Self.loggerHeaders
        response["ce_type"] = InputTranscoder.kserveResponseType
        let (batch, decoded) = try FormatFixtures.run(
            t,
            [
                Message(topic: "logger", value: FormatFixtures.bytes("kserve-v1-request.json"), headers: request),
                Message(topic: "logger", value: FormatFixtures.bytes("kserve-v1-response.json"), headers: response)
            ], baselines: [FormatFixtures.iris()])
        #expect(batch.rejects.isEmpty)
        #expect(decoded.rejects.isEmpty)
        let iris = try #require(decoded.models.first)
        #expect(iris.columns.features[0] == [6.8, 6.0])
        #expect(iris.columns.features[3] == [1.4, 1.6])
        #expect(iris.columns.predictions == [1, 1])
        #expect(iris.eventIDs == ["0009174a-24a8-4603-b098-09c8799950e9/0", "0009174a-24a8-4603-b098-09c8799950e9/1"])
    }

    @Test func kserveLoggerStructuredModeAndUnknownTypes() throws {
        let t = try Self.transcoder(
            [InputTopic(topic: "logger", format: .kserveLogger)], mappings: ["sklearn-iris": FormatFixtures.irisMapping]
        )
        var response = Self.loggerHeaders
        response["ce_type"] = InputTranscoder.kserveResponseType
        var other = Self.loggerHeaders
        other["ce_type"] = "org.kubeflow.serving.inference.other"
        let (batch, decoded) = try FormatFixtures.run(
            t,
            [
                Message(topic: "logger", value: FormatFixtures.bytes("kserve-logger-request-structured.json")),
                Message(topic: "logger", value: FormatFixtures.bytes("kserve-v1-response.json"), headers: other),
                Message(topic: "logger", value: FormatFixtures.bytes("kserve-v1-response.json"), headers: response)
            ], baselines: [FormatFixtures.iris()])
        #expect(batch.rejects.map(\.error.code) == [.unknownEventType])
        #expect(batch.rejects.map(\.messageIndex) == [1])
        #expect(decoded.acceptedCount == 2)
        #expect(batch.entries.map(\.message) == [2, 2])
    }
}

@Suite("Input formats: Seldon Core 2")
struct SeldonFormatTests {
    typealias Message = FormatFixtures.Message
    static let inputs = "seldon.default.model.mymodel.inputs"
    static let outputs = "seldon.default.model.mymodel.outputs"

    static func transcoder() throws -> InputTranscoder {
        try InputTranscoder(
            topics: [InputTopic(topic: inputs, format: .seldonV2), InputTopic(topic: outputs, format: .seldonV2)],
            mappings: ["mymodel": FormatFixtures.mymodelMapping], maxBytes: 65_536)
    }

    @Test func typedContentsJoinAcrossTheModelTopics() throws {
        let (batch, decoded) = try FormatFixtures.run(
            try Self.transcoder(),
            [
                Message(topic: Self.outputs, value: FormatFixtures.bytes("seldon-response.pb")),
                Message(topic: Self.inputs, value: FormatFixtures.bytes("seldon-request.pb"), timestampMs: 7_000)
            ], baselines: [FormatFixtures.mymodel()])
        #expect(batch.rejects.isEmpty)
        #expect(decoded.rejects.isEmpty)
        let model = try #require(decoded.models.first)
        #expect(model.columns.features[0] == [1, 3])
        #expect(model.columns.features[1] == [2, 4])
        #expect(model.columns.features[2] == [0, 1])
        // FP32 1.1 is read as the float's shortest decimal, 1.1.
        #expect(model.columns.predictions == [1.0, 2.0])
        #expect(model.columns.timestamps == [7_000, 7_000])
        #expect(model.eventIDs == ["42/0", "42/1"])
    }

    @Test func rawContentsAreLittleEndian() throws {
        let (batch, decoded) = try FormatFixtures.run(
            try Self.transcoder(),
            [
                Message(topic: Self.inputs, value: FormatFixtures.bytes("seldon-request-raw.pb")),
                Message(topic: Self.outputs, value: FormatFixtures.bytes("seldon-response-raw.pb"))
            ], baselines: [FormatFixtures.mymodel()])
        #expect(batch.rejects.isEmpty)
        let model = try #require(decoded.models.first)
        #expect(model.columns.features[0] == [5, 7])
        #expect(model.columns.features[1] == [6, 8])
        #expect(model.columns.features[2] == [1, 0])
        #expect(model.columns.predictions == [0.25, 0.75])
    }

    @Test func malformedValuesAreRejected() throws {
        let (batch, _) = try FormatFixtures.run(
            try Self.transcoder(),
            [
                Message(topic: Self.inputs, value: [0xFF, 0xFF, 0xFF]),
                Message(topic: Self.outputs, value: Array(try FormatFixtures.bytes("seldon-response.pb").dropLast(3))),
                Message(topic: Self.inputs, value: [])
            ], baselines: [FormatFixtures.mymodel()])
        #expect(batch.rejects.map(\.error.code) == [.invalidProtobuf, .invalidProtobuf, .noTensors])
    }

    @Test func topicNames() {
        #expect(InputTopic.isSeldonModelTopic("seldon.ns.model.iris.inputs"))
        #expect(InputTopic.isSeldonModelTopic("seldon.ns.model.iris.v2.outputs"))
        #expect(!InputTopic.isSeldonModelTopic("seldon.ns.pipeline.iris.inputs"))
        #expect(!InputTopic.isSeldonModelTopic("seldon.ns.model.iris"))
        #expect(!InputTopic.isSeldonModelTopic("seldon..model.iris.inputs"))
    }
}
