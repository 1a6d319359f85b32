import DriftCore
import Foundation

/// Generates inference events as JSON text: valid ones in many shapes and key orders, and
/// bad ones with exactly one fault each. Valid RFC 3339 timestamps are recorded with their
/// epoch milliseconds (computed by Foundation's calendar) for the reference decoder.
struct EventGenerator {
    var rng: SplitMix64
    /// RFC 3339 text -> epoch milliseconds, for every valid timestamp string generated.
    var rfc3339: [String: Int64] = [:]

    private static let planValues = ["basic", "pro", "enterprise", "gold", "Pro", ""]
    private static let words = [
        "alpha", "beta", "gamma", "delta", "x", "y z", "tab\tin", "quote\"d", "back\\slash", "é", "日本"
    ]

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }

    /// A JSON string literal, sometimes with \u escapes for ASCII letters.
    mutating func string(_ text: String) -> String {
        let escapeLetters = chance(0.1)
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            default:
                if escapeLetters && scalar.properties.isAlphabetic && scalar.isASCII {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    mutating func number() -> String {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return String(Int.random(in: -1000...1000, using: &rng))
        case 1: return "\(Double.random(in: -1e6...1e6, using: &rng))"
        case 2: return "\(Double.random(in: 0..<1, using: &rng))"
        case 3: return "\(Double.random(in: 1...9, using: &rng))e\(Int.random(in: -300...300, using: &rng))"
        default: return String(Int64.random(in: Int64.min...Int64.max, using: &rng))
        }
    }

    mutating func categoryValue(for feature: String) -> String {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: return chance(0.5) ? "true" : "false"
        case 1: return String(pick([1, 2, -7, 3, 0, 99]))
        case 2: return "18446744073709551615"
        case 3: return "null"
        case 4: return string(pick(Self.words))
        default:
            switch feature {
            case "plan": return string(pick(Self.planValues))
            case "region": return string(pick(TestSchemas.regions + ["atlantis"]))
            case "flag": return string(pick(["true", "false", "maybe"]))
            default: return string(pick(["1", "2", "-7", "5"]))
            }
        }
    }

    mutating func timestamp() -> String {
        // From 1600 on: Foundation's Gregorian calendar switches to Julian dates before 1582.
        let ms = Int64.random(in: -11_676_096_000_000...253_402_300_799_999 - 86_400_000, using: &rng)
        if chance(0.5) { return String(ms) }
        let offset = chance(0.3) ? 0 : Int.random(in: -23 * 60...23 * 60, using: &rng)
        // The civil time at `offset` is the UTC civil time of (instant + offset).
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let seconds = ms.quotientAndRemainder(dividingBy: 1000).quotient + (ms % 1000 < 0 ? -1 : 0)
        let date = Date(timeIntervalSince1970: Double(seconds + Int64(offset) * 60))
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let millis = ((ms % 1000) + 1000) % 1000
        let zone =
            offset == 0 && chance(0.5)
            ? "Z"
            : (offset < 0 ? "-" : "+") + String(format: "%02d:%02d", abs(offset) / 60, abs(offset) % 60)
        let fraction = chance(0.3) ? "" : String(format: ".%03d", millis) + (chance(0.3) ? "789" : "")
        let text =
            String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
            + fraction + zone
        rfc3339[text] = fraction.isEmpty ? ms - millis : ms
        return string(text)
    }

    /// One event as JSON text.
    mutating func event() -> String {
        let fault = chance(0.3) ? Int.random(in: 0..<10, using: &rng) : -1
        let model = fault == 3 ? "ghost" : pick(["churn", "churn", "fraud"])
        var members: [(String, String)] = []
        if fault != 2 {
            members.append(("model", string(model)))
        } else if chance(0.5) {
            members.append(("model", "null"))
        }
        if chance(0.6) {
            members.append(("version", pick([string("3"), string("1"), "3", "1", string("99"), "null"])))
        }
        if chance(0.7) {
            members.append(("id", chance(0.8) ? string("req-\(rng.next() % 100_000)") : String(rng.next() % 1000)))
        }
        if fault == 7 {
            members.append(
                (
                    "timestamp",
                    pick([
                        string("2026-02-30T00:00:00Z"), string("soon"), "1.5", "true", "[]",
                        string("2026-01-01T00:00:00"), "1e300"
                    ])
                ))
        } else if chance(0.7) {
            members.append(("timestamp", chance(0.9) ? timestamp() : "null"))
        }
        if chance(0.3) { members.append(("latency_ms", chance(0.9) ? number() : "null")) }
        if chance(0.2) { members.append(("cost", chance(0.9) ? number() : "null")) }
        if chance(0.1) { members.append(("trace", #"{"span":[1,2,{"k":"v"}],"ok":true}"#)) }

        var features: [(String, String)] = []
        let monitored =
            model == "fraud" ? ["amount", "velocity"] : ["tenure", "income", "plan", "region", "flag", "code"]
        for name in monitored where chance(0.85) {
            let categorical = ["plan", "region", "flag", "code"].contains(name)
            features.append((name, categorical ? categoryValue(for: name) : (chance(0.1) ? "null" : number())))
        }
        if chance(0.2) { features.append(("extra_\(rng.next() % 4)", chance(0.5) ? number() : #"["a",{"b":null}]"#)) }
        if fault == 5, let index = features.indices.randomElement(using: &rng) {
            let categorical = ["plan", "region", "flag", "code"].contains(features[index].0)
            features[index].1 =
                categorical ? pick(["1.5", "[1]", #"{"a":1}"#, "2e3"]) : pick([string("12"), "true", "[1]", "{}"])
        }
        if fault == 6 {
            let numeric = features.indices.filter {
                ["tenure", "income", "amount", "velocity"].contains(features[$0].0)
            }
            if let index = numeric.randomElement(using: &rng) {
                features[index].1 = pick(["NaN", "Infinity", "-Infinity", "1e400", "-2e999"])
            }
        }
        features.shuffle(using: &rng)
        let featuresText = "{" + features.map { "\(string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
        if fault != 4 {
            members.append(("features", featuresText))
        } else if chance(0.5) {
            members.append(("features", "null"))
        }
        if chance(0.7) {
            let prediction = model == "fraud" ? string(pick(["ok", "fraud", "other"])) : number()
            members.append(("prediction", fault == 8 ? pick(["[0.5]", "{}"]) : prediction))
        }
        members.shuffle(using: &rng)
        let text = "{" + members.map { "\(string($0.0)):\($0.1)" }.joined(separator: chance(0.2) ? " , " : ",") + "}"
        switch fault {
        case 0:
            return String(
                decoding: Array(text.utf8).prefix(Int.random(in: 0..<text.utf8.count, using: &rng)), as: UTF8.self)
        case 1: return pick(["[" + text + "]", "42", string("event"), "null", "true"])
        default: return text
        }
    }
}
