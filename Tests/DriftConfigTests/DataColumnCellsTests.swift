import DriftCore
import Testing

@Suite("DataColumn typed storage")
struct DataColumnCellsTests {
    private let mixed: [DataValue] = [
        .number(1.5), .missing, .string("a"), .bool(true), .number(.nan), .string("a"), .bool(false),
        .number(-0.0), .string(""), .missing, .number(.infinity)
    ]

    @Test("typed cells give back exactly the values they were made from")
    func roundTrip() {
        let cells = DataColumn.Cells(mixed)
        #expect(cells.count == mixed.count)
        // DataValue's == is false for NaN: compare NaN rows on their own.
        for (row, value) in mixed.enumerated() {
            if case .number(let x) = value, x.isNaN {
                guard case .number(let y) = cells[row] else {
                    Issue.record("row \(row): NaN came back as \(cells[row])")
                    continue
                }
                #expect(y.isNaN)
            } else {
                #expect(cells[row] == value, "row \(row)")
            }
        }
        #expect(cells.labels == [.string("a"), .bool(true), .bool(false), .string("")])
        #expect(cells.labelIndexes == [-1, -1, 0, 1, -1, 0, 2, -1, 3, -1, -1])
        #expect(cells.numbers.count == mixed.count)
        #expect(cells.numbers[1].isNaN && DataColumn.Cells.isMissingMarker(cells.numbers[1]))
        #expect(cells.numbers[4].isNaN && !DataColumn.Cells.isMissingMarker(cells.numbers[4]))
        #expect(cells.numbers[2].isNaN, "a text row is NaN in numbers, so it bins as missing")
    }

    @Test("storage is allocated only for the kinds a column holds")
    func lazyStorage() {
        var numbers = DataColumn.Cells()
        numbers.appendNumber(1)
        numbers.appendMissing()
        #expect(numbers.labelIndexes.isEmpty && numbers.numbers.count == 2)
        var text = DataColumn.Cells()
        text.appendMissing()
        let index = text.addLabel(.string("x"))
        text.appendLabel(index)
        #expect(text.numbers.isEmpty && text.labelIndexes == [-1, 0])
        #expect(text.values == [.missing, .string("x")])
        // A number after text rows back-fills the number storage.
        text.appendNumber(7)
        #expect(text.numbers.count == 3 && text.labelIndexes == [-1, 0, -1])
        #expect(text.values == [.missing, .string("x"), .number(7)])
        // Not a label, or an index that was never added: no label row.
        #expect(text.addLabel(.number(3)) == -1)
        text.appendLabel(9)
        #expect(text[3] == .missing && text.count == 4)
    }

    @Test("a typed column reads, compares and mutates like a value column")
    func columnForms() {
        let values: [DataValue] = [.number(2), .string("b"), .missing, .bool(true)]
        let typed = DataColumn(name: "c", cells: DataColumn.Cells(values))
        let plain = DataColumn(name: "c", values: values)
        #expect(typed == plain && plain == typed)
        #expect(typed.count == 4 && typed.values == values && typed[1] == .string("b"))
        #expect(typed.storedCells != nil && plain.storedCells == nil)
        #expect(plain.cells == DataColumn.Cells(values))
        #expect(typed != DataColumn(name: "c", values: [.number(2), .string("b"), .missing, .bool(false)]))
        #expect(typed != DataColumn(name: "d", cells: DataColumn.Cells(values)))
        #expect(typed != DataColumn(name: "c", cells: DataColumn.Cells(values), typeOverride: .categorical))

        var mutated = typed
        mutated.values.append(.number(5))
        #expect(mutated.values == values + [.number(5)])
        #expect(mutated.storedCells == nil, "mutating the values turns the column into a value column")
        #expect(typed.values == values, "the original is untouched")
        var replaced = typed
        replaced.values = [.missing]
        #expect(replaced.count == 1)
    }
}
