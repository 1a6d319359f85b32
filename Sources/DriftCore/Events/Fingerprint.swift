/// Stable identifiers for alert series and events, so subscribers can de-duplicate.
public enum Fingerprint {
    /// 64-bit FNV-1a of the parts joined by U+001F, as 16 lowercase hex digits.
    public static func of(_ parts: String...) -> String { of(parts) }

    /// 64-bit FNV-1a of the parts joined by U+001F, as 16 lowercase hex digits.
    public static func of(_ parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (i, part) in parts.enumerated() {
            if i > 0 { hash = (hash ^ 0x1f) &* 0x0000_0100_0000_01b3 }
            for byte in part.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
