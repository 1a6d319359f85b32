import DriftCore

/// Builds one typed column (`DataColumn.Cells`) while a data file is read.
///
/// Text cells are looked up by their raw bytes (`ByteInterner`): only the first occurrence of a
/// distinct text is decoded into a `DataValue`; every later one appends a label index.
struct TypedColumnBuilder {
    private(set) var cells = DataColumn.Cells()
    private var interner = ByteInterner()
    private var labelIndex: [DataValue: Int32] = [:]
    private var trueIndex: Int32 = -1
    private var falseIndex: Int32 = -1

    /// Creates an empty builder.
    init() {}

    /// Reserves room for `rows` rows.
    /// - Parameter rows: Expected number of rows.
    mutating func reserveCapacity(_ rows: Int) { cells.reserveCapacity(rows) }

    /// Appends a number.
    /// - Parameter x: The number.
    @inline(__always)
    mutating func appendNumber(_ x: Double) { cells.appendNumber(x) }

    /// Appends a missing value.
    @inline(__always)
    mutating func appendMissing() { cells.appendMissing() }

    /// Appends `count` missing values.
    /// - Parameter count: How many.
    mutating func appendMissing(count: Int) {
        for _ in 0..<count { cells.appendMissing() }
    }

    /// Appends a boolean.
    /// - Parameter value: The boolean.
    @inline(__always)
    mutating func appendBool(_ value: Bool) {
        if value {
            if trueIndex < 0 { trueIndex = index(of: .bool(true)) }
            cells.appendLabel(trueIndex)
        } else {
            if falseIndex < 0 { falseIndex = index(of: .bool(false)) }
            cells.appendLabel(falseIndex)
        }
    }

    /// Appends the text or boolean whose raw bytes are `key`.
    /// - Parameters:
    ///   - key: The raw bytes; equal bytes must always decode to the same value.
    ///   - decode: Makes the value from the bytes, on the first occurrence of `key` only; a
    ///     `.number` or `.missing` result is not a label and is appended as such.
    /// - Throws: What `decode` throws.
    @inline(__always)
    mutating func appendLabel<Failure: Error>(
        key: UnsafeBufferPointer<UInt8>, decode: (UnsafeBufferPointer<UInt8>) throws(Failure) -> DataValue
    ) throws(Failure) {
        if let known = interner.value(for: key) {
            cells.appendLabel(known)
            return
        }
        let value = try decode(key)
        switch value {
        case .number(let x): cells.appendNumber(x)
        case .missing: cells.appendMissing()
        case .string, .bool:
            let index = index(of: value)
            interner.insert(index, for: key)
            cells.appendLabel(index)
        }
    }

    /// The label index of a text or boolean value, added on first use.
    private mutating func index(of value: DataValue) -> Int32 {
        if let known = labelIndex[value] { return known }
        let index = cells.addLabel(value)
        labelIndex[value] = index
        return index
    }
}
