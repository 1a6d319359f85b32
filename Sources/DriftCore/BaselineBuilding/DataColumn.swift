/// One column of in-memory tabular data: the input of `BaselineBuilder` and `BatchComparison`.
///
/// A column is held in one of two forms that read the same:
/// - as `DataValue`s (`init(name:values:typeOverride:)`), convenient for data built in memory;
/// - typed (`init(name:cells:typeOverride:)`), as the file readers produce it: numbers in a
///   `[Double]`, text and booleans as indexes into a table of distinct labels (`Cells`). That is
///   8-12 bytes per cell instead of a 24-byte enum, and consumers count it without examining
///   one enum or string per cell.
///
/// `values` always works (a typed column builds its `DataValue`s on each read, so read it once);
/// `count` and `cells` are the cheap accessors for hot paths.
public struct DataColumn: Sendable, Equatable {
    /// Column name; becomes the feature name in the baseline.
    public var name: String
    /// Forces the feature type instead of inferring it from the values.
    public var typeOverride: FeatureType?
    private var storage: Storage

    private enum Storage: Sendable {
        case values([DataValue])
        case cells(Cells)
    }

    /// Creates a column from values.
    /// - Parameters:
    ///   - name: Column (feature) name.
    ///   - values: One value per row.
    ///   - typeOverride: Feature type to use instead of the inferred one.
    public init(name: String, values: [DataValue], typeOverride: FeatureType? = nil) {
        self.name = name
        self.storage = .values(values)
        self.typeOverride = typeOverride
    }

    /// Creates a typed column.
    /// - Parameters:
    ///   - name: Column (feature) name.
    ///   - cells: One cell per row.
    ///   - typeOverride: Feature type to use instead of the inferred one.
    public init(name: String, cells: Cells, typeOverride: FeatureType? = nil) {
        self.name = name
        self.storage = .cells(cells)
        self.typeOverride = typeOverride
    }

    /// One value per row. On a typed column this builds the values (O(rows)); setting or
    /// mutating it turns the column into a value column.
    public var values: [DataValue] {
        get {
            switch storage {
            case .values(let values): return values
            case .cells(let cells): return cells.values
            }
        }
        set { storage = .values(newValue) }
        _modify {
            var values: [DataValue]
            switch storage {
            case .values(let stored): values = stored
            case .cells(let cells): values = cells.values
            }
            // Drop the stored reference so in-place mutation (e.g. `append`) does not copy.
            storage = .values([])
            defer { storage = .values(values) }
            yield &values
        }
    }

    /// Number of rows. O(1).
    public var count: Int {
        switch storage {
        case .values(let values): return values.count
        case .cells(let cells): return cells.count
        }
    }

    /// The column in typed form: free for a typed column, converted (O(rows)) for a value column.
    public var cells: Cells {
        switch storage {
        case .values(let values): return Cells(values)
        case .cells(let cells): return cells
        }
    }

    /// The typed storage when the column was created typed, else `nil` (no conversion).
    public var storedCells: Cells? {
        if case .cells(let cells) = storage { return cells }
        return nil
    }

    /// The value of one row. O(1).
    /// - Parameter row: Zero-based row, in `0 ..< count`.
    public subscript(row: Int) -> DataValue {
        switch storage {
        case .values(let values): return values[row]
        case .cells(let cells): return cells[row]
        }
    }

    /// Columns are equal when their names, type overrides and values row by row are equal,
    /// whichever form holds them.
    public static func == (lhs: DataColumn, rhs: DataColumn) -> Bool {
        guard lhs.name == rhs.name, lhs.typeOverride == rhs.typeOverride, lhs.count == rhs.count else { return false }
        switch (lhs.storage, rhs.storage) {
        case (.values(let a), .values(let b)): return a == b
        case (.cells(let a), .cells(let b)): return a == b
        default: return (0..<lhs.count).allSatisfy { lhs[$0] == rhs[$0] }
        }
    }
}

extension DataColumn {
    /// A column stored by type: what the CSV and JSONL readers build.
    ///
    /// - `numbers` holds every row's number, NaN where the row is not a number (missing, text,
    ///   boolean), so it can be binned directly; it is empty when the column has no number.
    /// - `labelIndexes` holds, per row, the index of the row's text or boolean in `labels`, or -1;
    ///   it is empty when the column has no text or boolean.
    /// - A row that is neither is missing. A NaN number (`DataValue.number(.nan)`) is kept apart
    ///   from a missing row, so `values` gives back exactly what was appended.
    public struct Cells: Sendable, Equatable {
        /// Number of rows.
        public private(set) var count = 0
        /// Per row: the number, or NaN when the row is not a number. Empty when no row is a number.
        public private(set) var numbers: [Double] = []
        /// Per row: index into `labels`, or -1 when the row is not text or a boolean. Empty when
        /// no row is text or a boolean.
        public private(set) var labelIndexes: [Int32] = []
        /// The text and boolean values the rows refer to (`.string` or `.bool`).
        public private(set) var labels: [DataValue] = []
        private var reserved = 0

        /// NaN with a payload of its own: a missing row in `numbers` (a NaN number keeps the
        /// canonical NaN).
        private static let missingBits: UInt64 = 0x7FF8_0000_4D49_5353

        /// Creates an empty column.
        public init() {}

        /// Converts values, one label per distinct text or boolean.
        /// - Parameter values: One value per row.
        public init(_ values: [DataValue]) {
            reserveCapacity(values.count)
            var known: [DataValue: Int32] = [:]
            for value in values {
                switch value {
                case .number(let x): appendNumber(x)
                case .missing: appendMissing()
                case .string, .bool:
                    if let index = known[value] {
                        appendLabel(index)
                    } else {
                        let index = addLabel(value)
                        known[value] = index
                        appendLabel(index)
                    }
                }
            }
        }

        /// Whether a `numbers` entry marks a missing row rather than a number.
        /// - Parameter x: An entry of `numbers`.
        @inline(__always)
        public static func isMissingMarker(_ x: Double) -> Bool { x.bitPattern == missingBits }

        /// The value of one row.
        /// - Parameter row: Zero-based row, in `0 ..< count`.
        public subscript(row: Int) -> DataValue {
            if !labelIndexes.isEmpty {
                let index = Int(labelIndexes[row])
                if index >= 0 { return labels[index] }
            }
            if !numbers.isEmpty {
                let x = numbers[row]
                if !Self.isMissingMarker(x) { return .number(x) }
            }
            return .missing
        }

        /// Every row as a `DataValue`.
        public var values: [DataValue] {
            var result: [DataValue] = []
            result.reserveCapacity(count)
            for row in 0..<count { result.append(self[row]) }
            return result
        }

        /// Reserves room for `rows` rows in total.
        /// - Parameter rows: Expected number of rows.
        public mutating func reserveCapacity(_ rows: Int) {
            reserved = max(reserved, rows)
            if !numbers.isEmpty { numbers.reserveCapacity(rows) }
            if !labelIndexes.isEmpty { labelIndexes.reserveCapacity(rows) }
        }

        /// Appends a number row (NaN included).
        /// - Parameter x: The number.
        @inline(__always)
        public mutating func appendNumber(_ x: Double) {
            if numbers.count < count { fillNumbers() }
            numbers.append(x.bitPattern == Self.missingBits ? .nan : x)
            if !labelIndexes.isEmpty { labelIndexes.append(-1) }
            count += 1
        }

        /// Appends a missing row.
        @inline(__always)
        public mutating func appendMissing() {
            if !numbers.isEmpty { numbers.append(Double(bitPattern: Self.missingBits)) }
            if !labelIndexes.isEmpty { labelIndexes.append(-1) }
            count += 1
        }

        /// Adds a text or boolean value to `labels` (no row is appended).
        /// - Parameter value: A `.string` or `.bool`; other values are stored as rows, not labels,
        ///   and give -1.
        /// - Returns: Its index for `appendLabel(_:)`, or -1 for a number or missing value.
        public mutating func addLabel(_ value: DataValue) -> Int32 {
            switch value {
            case .string, .bool:
                labels.append(value)
                return Int32(labels.count - 1)
            case .number, .missing:
                return -1
            }
        }

        /// Appends a row holding `labels[index]`; an index outside `labels` appends a missing row.
        /// - Parameter index: An index returned by `addLabel(_:)`.
        @inline(__always)
        public mutating func appendLabel(_ index: Int32) {
            guard index >= 0, Int(index) < labels.count else {
                appendMissing()
                return
            }
            if labelIndexes.count < count { fillLabelIndexes() }
            labelIndexes.append(index)
            if !numbers.isEmpty { numbers.append(Double(bitPattern: Self.missingBits)) }
            count += 1
        }

        /// Equal when the rows are equal one by one (`DataValue`'s `==`), however the labels are
        /// numbered.
        public static func == (lhs: Cells, rhs: Cells) -> Bool {
            guard lhs.count == rhs.count else { return false }
            return (0..<lhs.count).allSatisfy { lhs[$0] == rhs[$0] }
        }

        private mutating func fillNumbers() {
            numbers.reserveCapacity(max(reserved, count + 1))
            numbers.append(
                contentsOf: repeatElement(Double(bitPattern: Self.missingBits), count: count - numbers.count))
        }

        private mutating func fillLabelIndexes() {
            labelIndexes.reserveCapacity(max(reserved, count + 1))
            labelIndexes.append(contentsOf: repeatElement(-1, count: count - labelIndexes.count))
        }
    }
}
