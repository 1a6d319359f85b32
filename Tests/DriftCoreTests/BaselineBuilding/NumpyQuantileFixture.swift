import Foundation

/// Expected numeric profiles computed by numpy (`scripts/make_quantile_fixtures.py`).
struct NumpyQuantileFixture: Decodable {
    struct Case: Decodable {
        var name: String
        var bins: Int
        var values: [Double]
        var edges: [Double]
        var counts: [Double]
        var min: Double
        var max: Double
        var mean: Double
        var std: Double
    }

    var numpy: String
    var cases: [Case]

    static func load() throws -> NumpyQuantileFixture {
        guard
            let url = Bundle.module.url(
                forResource: "numpy_quantiles", withExtension: "json", subdirectory: "Fixtures/baseline_building")
        else { throw CocoaError(.fileNoSuchFile) }
        return try JSONDecoder().decode(NumpyQuantileFixture.self, from: Data(contentsOf: url))
    }
}
