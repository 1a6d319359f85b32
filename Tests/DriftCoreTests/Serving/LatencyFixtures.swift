import Foundation
import Testing

/// Reference latency percentiles computed by numpy (scripts/generate_latency_fixtures.py).
struct LatencyFixtures: Decodable {
    struct Percentiles: Decodable {
        let events: Int?
        let panes: Int?
        /// numpy `method="lower"`: the order statistic of rank floor(q (n - 1)).
        let lower: [Double]
        /// numpy's default `method="linear"`.
        let linear: [Double]
    }

    struct Case: Decodable {
        let name: String
        let values: [Double]
        let lower: [Double]
        let linear: [Double]
        let window: Percentiles?
    }

    let quantiles: [Double]
    let cases: [Case]

    static func load() throws -> LatencyFixtures {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let data = try Data(contentsOf: root.appendingPathComponent("serving/latency.json"))
        return try JSONDecoder().decode(LatencyFixtures.self, from: data)
    }
}
