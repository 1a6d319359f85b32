import Foundation
import Testing

/// Loads the scipy golden files written by scripts/generate_statistics_fixtures.py.
enum StatisticsFixtures {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// The `cases` payload of `Fixtures/statistics/<name>.json`.
    static func load(_ name: String) throws -> Any {
        guard let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw Missing(description: "Fixtures directory not in the test bundle")
        }
        let url = root.appendingPathComponent("statistics").appendingPathComponent(name + ".json")
        let data = try Data(contentsOf: url)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], let cases = object["cases"]
        else {
            throw Missing(description: "\(name).json has no cases")
        }
        return cases
    }

    static func cases(_ name: String) throws -> [[String: Any]] {
        guard let list = try load(name) as? [[String: Any]] else { throw Missing(description: "\(name): not a list") }
        return list
    }

    static func doubles(_ value: Any?) -> [Double] {
        (value as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? []
    }

    static func double(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }
}

/// `|actual - expected| <= rel * |expected| + abs`.
func close(_ actual: Double, _ expected: Double, rel: Double = 1e-9, abs absolute: Double = 1e-14) -> Bool {
    if actual == expected { return true }
    return Swift.abs(actual - expected) <= rel * Swift.abs(expected) + absolute
}
