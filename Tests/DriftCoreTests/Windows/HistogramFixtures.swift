import DriftCore
import Foundation
import Testing

/// Reference histograms computed by numpy (scripts/generate_window_fixtures.py).
struct HistogramFixtures: Decodable {
    struct WindowCase: Decodable {
        let events: Int
        let panes: Int
        let counts: [Double]
        let missing: Double
        let window_events: Int
    }

    struct Case: Decodable {
        let name: String
        let edges: [Double]
        let values: [Double?]
        let counts: [Double]
        let missing: Double
        let window: WindowCase?

        /// Values with missing as NaN, as the decoder hands them to windows.
        var column: [Double] { values.map { $0 ?? .nan } }
    }

    let cases: [Case]

    static func load() throws -> HistogramFixtures {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let data = try Data(contentsOf: root.appendingPathComponent("windows/histograms.json"))
        return try JSONDecoder().decode(HistogramFixtures.self, from: data)
    }
}

/// A one-feature numeric schema over `edges`, for window tests.
func numericSchema(edges: [Double], name: String = "x") throws -> ModelSchema {
    let profile = FeatureProfile(
        name: name, type: .numeric, edges: edges, counts: [Double](repeating: 1, count: edges.count + 1))
    return try ModelSchema(
        baseline: Baseline(id: "m@1:test", model: "m", version: "1", rowCount: 1, features: [profile]))
}

/// A batch of one numeric column with consecutive timestamps from `start`.
func batch(_ schema: ModelSchema, _ values: ArraySlice<Double>, start: Int64 = 0, step: Int64 = 1) -> ColumnarBatch {
    var b = ColumnarBatch(schema: schema, capacity: values.count)
    for (i, v) in values.enumerated() {
        b.append(timestamp: start + Int64(i) * step, values: [v], prediction: .nan)
    }
    return b
}
