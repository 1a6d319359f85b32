import DriftCore
import Testing

@Suite("BaselineBuilder: whole baselines")
struct BaselineBuilderTests {
    private func trainingColumns(rows: Int = 400, shift: Double = 0) -> [DataColumn] {
        let tenure = (0..<rows).map { DataValue.number(Double(($0 * 37) % 101) + shift) }
        let plan = (0..<rows).map { DataValue.string(["basic", "pro", "team"][$0 % 3]) }
        let active = (0..<rows).map { DataValue.bool($0 % 4 != 0) }
        let score = (0..<rows).map { DataValue.number(Double(($0 * 13) % 97) / 97) }
        return [
            DataColumn(name: "tenure", values: tenure), DataColumn(name: "plan", values: plan),
            DataColumn(name: "active", values: active), DataColumn(name: "score", values: score)
        ]
    }

    @Test("features keep column order, the prediction is profiled apart, and the baseline validates")
    func structure() throws {
        let baseline = try BaselineBuilder().build(
            model: "churn", version: "3", columns: trainingColumns(), predictionColumn: "score",
            createdAt: "2024-06-11T10:00:00Z")
        #expect(baseline.format == Baseline.currentFormat)
        #expect(baseline.features.map(\.name) == ["tenure", "plan", "active"])
        #expect(baseline.features.map(\.type) == [.numeric, .categorical, .categorical])
        #expect(baseline.prediction?.name == "score")
        #expect(baseline.prediction?.type == .numeric)
        #expect(baseline.rowCount == 400)
        #expect(baseline.createdAt == "2024-06-11T10:00:00Z")
        #expect(baseline.validationErrors().isEmpty)
        let schema = try ModelSchema(baseline: baseline)
        #expect(schema.featureIndex["plan"] == 1)
        #expect(schema.prediction != nil)
    }

    @Test("the id is model@version:8 hex digits, stable across builds and creation times")
    func deterministicID() throws {
        let a = try BaselineBuilder().build(
            model: "churn", version: "3", columns: trainingColumns(), createdAt: "2024-01-01T00:00:00Z")
        let b = try BaselineBuilder().build(
            model: "churn", version: "3", columns: trainingColumns(), createdAt: "2025-01-01T00:00:00Z")
        #expect(a.id == b.id)
        #expect(a.id.hasPrefix("churn@3:"))
        let hex = a.id.dropFirst("churn@3:".count)
        #expect(hex.count == 8)
        #expect(hex.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(a.id == BaselineFingerprint.identifier(of: a))
    }

    @Test("different content, model or version gives a different id")
    func idTracksContent() throws {
        let builder = BaselineBuilder()
        let base = try builder.build(model: "churn", version: "3", columns: trainingColumns())
        let shifted = try builder.build(model: "churn", version: "3", columns: trainingColumns(shift: 0.5))
        let otherVersion = try builder.build(model: "churn", version: "4", columns: trainingColumns())
        let otherBins = try BaselineBuilder(options: .init(binCount: 5)).build(
            model: "churn", version: "3", columns: trainingColumns())
        let ids = [base.id, shifted.id, otherVersion.id, otherBins.id]
        #expect(Set(ids.map { $0.split(separator: ":").last! }).count == 4)
    }

    @Test("malformed inputs are rejected with a stable code")
    func errors() {
        let builder = BaselineBuilder()
        let ok = trainingColumns(rows: 10)
        func code(_ body: () throws(BaselineBuildError) -> Baseline) -> BaselineBuildError.Code? {
            do {
                _ = try body()
                return nil
            } catch { return error.code }
        }
        #expect(
            code { () throws(BaselineBuildError) in try builder.build(model: "", version: "1", columns: ok) }
                == .invalidIdentity)
        #expect(
            code { () throws(BaselineBuildError) in try builder.build(model: "m", version: "", columns: ok) }
                == .invalidIdentity)
        #expect(
            code { () throws(BaselineBuildError) in try builder.build(model: "m", version: "1", columns: []) }
                == .noFeatures)
        #expect(
            code { () throws(BaselineBuildError) in
                try builder.build(model: "m", version: "1", columns: [ok[0]], predictionColumn: "tenure")
            } == .noFeatures)
        #expect(
            code { () throws(BaselineBuildError) in
                try builder.build(model: "m", version: "1", columns: [DataColumn(name: "x", values: [])])
            } == .noRows)
        #expect(
            code { () throws(BaselineBuildError) in
                try builder.build(model: "m", version: "1", columns: ok + [ok[1]])
            } == .duplicateColumn)
        #expect(
            code { () throws(BaselineBuildError) in
                try builder.build(model: "m", version: "1", columns: ok + [DataColumn(name: "", values: ok[0].values)])
            } == .emptyColumnName)
        #expect(
            code { () throws(BaselineBuildError) in
                try builder.build(
                    model: "m", version: "1", columns: ok + [DataColumn(name: "short", values: [.number(1)])])
            } == .columnLengthMismatch)
        #expect(
            code { () throws(BaselineBuildError) in
                try builder.build(model: "m", version: "1", columns: ok, predictionColumn: "nope")
            } == .predictionColumnNotFound)
        #expect(
            code { () throws(BaselineBuildError) in
                try BaselineBuilder(options: .init(binCount: 0)).build(model: "m", version: "1", columns: ok)
            } == .invalidOptions)
        #expect(
            code { () throws(BaselineBuildError) in
                try BaselineBuilder(options: .init(maxCategories: 0)).build(model: "m", version: "1", columns: ok)
            } == .invalidOptions)
    }

    @Test("a baseline of only degenerate columns is still valid")
    func degenerateBaseline() throws {
        let columns = [
            DataColumn(name: "empty", values: Array(repeating: .missing, count: 5)),
            DataColumn(name: "const", values: Array(repeating: .number(1), count: 5), typeOverride: .numeric)
        ]
        let baseline = try BaselineBuilder().build(model: "m", version: "1", columns: columns)
        #expect(baseline.validationErrors().isEmpty)
        _ = try ModelSchema(baseline: baseline)
    }
}
