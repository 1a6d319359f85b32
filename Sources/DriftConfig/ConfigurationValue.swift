import Yams

/// A node of the composed YAML tree with its location.
struct ConfigurationValue {
    /// The YAML node.
    let node: Node
    /// Where it is.
    let location: ConfigurationLocation

    /// The scalar's text and whether it was written plain (unquoted), for scalars.
    var scalar: (text: String, plain: Bool)? {
        guard case .scalar(let scalar) = node else { return nil }
        return (scalar.string, scalar.style == .plain || scalar.style == .any)
    }

    /// Whether the node is YAML null (`null`, `~`, or nothing).
    var isNull: Bool {
        guard let (text, plain) = scalar, plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// How the value reads in an error message: `"high"`, `12`, `null`, `a mapping`, `a list`.
    var described: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if isNull { return "null" }
            let plain = scalar.style == .plain || scalar.style == .any
            if plain, ScalarSyntax.number(scalar.string) != nil || ScalarSyntax.bool(scalar.string) != nil {
                return scalar.string
            }
            var escaped = ""
            for ch in scalar.string.unicodeScalars {
                switch ch {
                case "\"": escaped += "\\\""
                case "\\": escaped += "\\\\"
                case "\n": escaped += "\\n"
                case "\t": escaped += "\\t"
                default: escaped.unicodeScalars.append(ch)
                }
            }
            return "\"\(escaped)\""
        }
    }

    /// The value's 1-based line.
    static func line(of node: Node) -> Int? { node.mark?.line }
}
