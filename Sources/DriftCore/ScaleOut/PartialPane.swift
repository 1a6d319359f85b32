/// What the ingest stage of a scale-out deployment publishes to the internal topic: one model's
/// share of one event-time pane from one input partition (docs/architecture.md, "Scale-out").
///
/// Counts are sparse: only non-zero histogram slots (`HistogramLayout` order) and non-zero
/// detector cell counts (`DetectionCells`, per column) travel. A partial with no events only
/// carries the partition's watermark. `sequence` numbers the partials of one (model, input
/// partition) from 1 without gaps; the evaluator ignores a sequence it has already merged.
public struct PartialPane: Sendable, Equatable {
    /// The model version's baseline id (also the record key).
    public var baselineID: String
    /// Input topic.
    public var topic: String
    /// Input partition.
    public var partition: Int32
    /// 1, 2, ... per (model, input partition).
    public var sequence: Int64
    /// First input offset of an event counted here (`toOffset` when none).
    public var fromOffset: Int64
    /// One past the last input offset of an event counted here.
    public var toOffset: Int64
    /// The pane (`floor(eventTime / paneMillis)`).
    public var paneIndex: Int64
    /// Every pane below this index is final for this partition.
    public var watermarkPane: Int64
    /// Events counted.
    public var events: Int
    /// Earliest and latest event time counted, epoch ms (`Int64.max` / `Int64.min` when empty).
    public var minEventMillis: Int64
    public var maxEventMillis: Int64
    /// Events of this model dropped as late in this partition since the previous partial.
    public var lateEvents: Int
    /// Non-zero histogram slots: (slot, count).
    public var slots: [SparseCount]
    /// Non-zero detector cells: (column, cell, count).
    public var cells: [CellCount]

    /// One non-zero slot.
    public struct SparseCount: Sendable, Equatable {
        public var index: Int
        public var count: Int
        /// Creates an entry.
        public init(index: Int, count: Int) {
            self.index = index
            self.count = count
        }
    }

    /// One non-zero detector cell of a column.
    public struct CellCount: Sendable, Equatable {
        public var column: Int
        public var cell: Int
        public var count: Int
        /// Creates an entry.
        public init(column: Int, cell: Int, count: Int) {
            self.column = column
            self.cell = cell
            self.count = count
        }
    }

    /// Creates a partial pane.
    public init(
        baselineID: String, topic: String, partition: Int32, sequence: Int64, fromOffset: Int64, toOffset: Int64,
        paneIndex: Int64, watermarkPane: Int64, events: Int, minEventMillis: Int64, maxEventMillis: Int64,
        lateEvents: Int, slots: [SparseCount], cells: [CellCount]
    ) {
        self.baselineID = baselineID
        self.topic = topic
        self.partition = partition
        self.sequence = sequence
        self.fromOffset = fromOffset
        self.toOffset = toOffset
        self.paneIndex = paneIndex
        self.watermarkPane = watermarkPane
        self.events = events
        self.minEventMillis = minEventMillis
        self.maxEventMillis = maxEventMillis
        self.lateEvents = lateEvents
        self.slots = slots
        self.cells = cells
    }

    /// The input partition as `topic[partition]` (the key of per-partition bookkeeping).
    public var source: String { "\(topic)[\(partition)]" }

    // MARK: - Codec

    /// Format tag at the start of every record.
    public static let magic: [UInt8] = Array("DPP1".utf8)

    /// The record's bytes: the tag, then fields as LEB128 varints (signed ones zig-zag encoded),
    /// strings as length + UTF-8.
    public var encoded: [UInt8] {
        var out = Self.magic
        out.reserveCapacity(64 + slots.count * 4 + cells.count * 5)
        Self.putString(&out, baselineID)
        Self.putString(&out, topic)
        Self.putSigned(&out, Int64(partition))
        Self.putSigned(&out, sequence)
        Self.putSigned(&out, fromOffset)
        Self.putSigned(&out, toOffset)
        Self.putSigned(&out, paneIndex)
        Self.putSigned(&out, watermarkPane)
        Self.putUnsigned(&out, UInt64(events))
        Self.putSigned(&out, events > 0 ? minEventMillis : 0)
        Self.putSigned(&out, events > 0 ? maxEventMillis : 0)
        Self.putUnsigned(&out, UInt64(lateEvents))
        Self.putUnsigned(&out, UInt64(slots.count))
        var previous = 0
        for s in slots {
            Self.putUnsigned(&out, UInt64(s.index - previous))
            Self.putUnsigned(&out, UInt64(s.count))
            previous = s.index
        }
        Self.putUnsigned(&out, UInt64(cells.count))
        for c in cells {
            Self.putUnsigned(&out, UInt64(c.column))
            Self.putUnsigned(&out, UInt64(c.cell))
            Self.putUnsigned(&out, UInt64(c.count))
        }
        return out
    }

    /// Decodes a record; `nil` when the bytes are not a partial pane of this format.
    public init?(decoding bytes: [UInt8]) {
        var reader = Reader(bytes: bytes)
        guard bytes.count >= 4, Array(bytes[0..<4]) == Self.magic else { return nil }
        reader.position = 4
        guard let id = reader.string(), let topic = reader.string(), let partition = reader.signed(),
            let sequence = reader.signed(), let from = reader.signed(), let to = reader.signed(),
            let pane = reader.signed(), let watermark = reader.signed(), let events = reader.unsigned(),
            let low = reader.signed(), let high = reader.signed(), let late = reader.unsigned(),
            let slotCount = reader.unsigned(), slotCount <= UInt64(bytes.count)
        else { return nil }
        var slots: [SparseCount] = []
        slots.reserveCapacity(Int(slotCount))
        var index = 0
        for _ in 0..<slotCount {
            guard let delta = reader.unsigned(), let count = reader.unsigned(), delta < 1 << 31, count < 1 << 53 else {
                return nil
            }
            index += Int(delta)
            slots.append(SparseCount(index: index, count: Int(count)))
        }
        guard let cellCount = reader.unsigned(), cellCount <= UInt64(bytes.count) else { return nil }
        var cells: [CellCount] = []
        cells.reserveCapacity(Int(cellCount))
        for _ in 0..<cellCount {
            guard let column = reader.unsigned(), let cell = reader.unsigned(), let count = reader.unsigned(),
                column < 1 << 31, cell < 1 << 31, count < 1 << 53
            else { return nil }
            cells.append(CellCount(column: Int(column), cell: Int(cell), count: Int(count)))
        }
        guard reader.position == bytes.count, partition >= Int64(Int32.min), partition <= Int64(Int32.max),
            events < 1 << 53, late < 1 << 53
        else { return nil }
        self.init(
            baselineID: id, topic: topic, partition: Int32(partition), sequence: sequence, fromOffset: from,
            toOffset: to,
            paneIndex: pane, watermarkPane: watermark, events: Int(events),
            minEventMillis: events > 0 ? low : .max, maxEventMillis: events > 0 ? high : .min,
            lateEvents: Int(late), slots: slots, cells: cells)
    }

    private static func putUnsigned(_ out: inout [UInt8], _ value: UInt64) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    private static func putSigned(_ out: inout [UInt8], _ value: Int64) {
        putUnsigned(&out, UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    private static func putString(_ out: inout [UInt8], _ text: String) {
        let utf8 = Array(text.utf8)
        putUnsigned(&out, UInt64(utf8.count))
        out += utf8
    }

    private struct Reader {
        let bytes: [UInt8]
        var position = 0

        mutating func unsigned() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while position < bytes.count {
                let b = bytes[position]
                position += 1
                guard shift < 64 else { return nil }
                result |= UInt64(b & 0x7f) << shift
                if b & 0x80 == 0 { return result }
                shift += 7
            }
            return nil
        }

        mutating func signed() -> Int64? {
            guard let u = unsigned() else { return nil }
            return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
        }

        mutating func string() -> String? {
            guard let n = unsigned(), n <= UInt64(bytes.count - position) else { return nil }
            let slice = bytes[position..<position + Int(n)]
            position += Int(n)
            return String(validating: slice, as: UTF8.self)
        }
    }
}
