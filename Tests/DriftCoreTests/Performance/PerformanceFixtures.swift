import Foundation

/// Reads `Fixtures/performance/<name>.json` (scripts/generate_performance_fixtures.py).
enum PerformanceFixtures {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static func load(_ name: String) throws -> [String: Any] {
        guard let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw Missing(description: "Fixtures directory not in the test bundle")
        }
        let url = root.appendingPathComponent("performance").appendingPathComponent(name + ".json")
        guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw Missing(description: "\(name).json is not an object")
        }
        return object
    }

    static func list(_ name: String, _ key: String) throws -> [[String: Any]] {
        guard let list = try load(name)[key] as? [[String: Any]] else {
            throw Missing(description: "\(name).\(key): not a list")
        }
        return list
    }

    /// `|actual - expected| <= 1e-9 x max(1, |expected|)`: 1e-9 absolute for values up to 1,
    /// relative above.
    static func agrees(_ actual: Double, _ expected: Double) -> Bool {
        abs(actual - expected) <= 1e-9 * max(1, abs(expected))
    }
}
