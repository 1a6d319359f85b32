/// Maps byte strings to small integers without building a `String` per lookup: the label table
/// of one column while a data file is read.
///
/// Open addressing with linear probing over a power-of-two table; keys are copied into one byte
/// arena. A lookup hashes the bytes (FNV-1a) and compares them with `memcmp`-like loops, so a
/// repeated category costs no allocation and no reference counting.
struct ByteInterner {
    private struct Slot {
        var hash: UInt64
        var start: Int
        var length: Int
        var value: Int32
    }

    private var slots: [Slot?] = Array(repeating: nil, count: 16)
    private var arena: [UInt8] = []
    private var used = 0

    /// Number of keys stored.
    var count: Int { used }

    /// The value stored for `key`, if any.
    /// - Parameter key: The bytes.
    func value(for key: UnsafeBufferPointer<UInt8>) -> Int32? {
        let hash = Self.hash(key)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while let slot = slots[i] {
            if slot.hash == hash, slot.length == key.count, equals(slot, key) { return slot.value }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Stores `value` for `key` (which must not be stored yet).
    /// - Parameters:
    ///   - value: The value.
    ///   - key: The bytes.
    mutating func insert(_ value: Int32, for key: UnsafeBufferPointer<UInt8>) {
        if (used + 1) * 2 > slots.count { grow() }
        let start = arena.count
        arena.append(contentsOf: key)
        place(Slot(hash: Self.hash(key), start: start, length: key.count, value: value))
        used += 1
    }

    private mutating func place(_ slot: Slot) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: slot.hash) & mask
        while slots[i] != nil { i = (i + 1) & mask }
        slots[i] = slot
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: nil, count: old.count * 2)
        for case let slot? in old { place(slot) }
    }

    private func equals(_ slot: Slot, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        arena.withUnsafeBufferPointer { stored in
            for k in 0..<key.count where stored[slot.start + k] != key[k] { return false }
            return true
        }
    }

    @inline(__always)
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        // Mix the high bits down: the table index uses the low bits.
        return h ^ (h >> 29)
    }
}
