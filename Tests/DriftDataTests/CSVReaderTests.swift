import DriftCore
import DriftData
import Testing

@Suite("CSV reader")
struct CSVReaderTests {
    private func column(_ table: DataTable, _ name: String) throws -> [DataValue] {
        try #require(table.columns.first { $0.name == name }).values
    }

    @Test("quoted delimiters, escaped quotes, CRLF, quoted line breaks, BOM and blank lines")
    func edgeCases() throws {
        let table = try CSVReader().read(path: RepositoryPaths.fixture("data/edge_cases.csv"))
        #expect(table.columns.map(\.name) == ["name", "amount", "note", "flag"])
        #expect(table.rowLines == [2, 3, 6, 7, 8])
        #expect(
            try column(table, "name") == [
                .string("Smith, Jane"), .string("Bob"), .string("Eve"), .string("Zoë"), .string("Max")
            ])
        #expect(try column(table, "amount") == [.number(12.5), .missing, .number(-300), .string("1_000"), .number(0.5)])
        #expect(
            try column(table, "note") == [
                .string("said \"hi\""), .string("two\r\nlines"), .string(""), .string(" 7 "), .string("nan")
            ])
        #expect(try column(table, "flag") == [.bool(true), .bool(false), .bool(true), .string("no"), .missing])
    }

    @Test("a ragged row is reported with the line it starts on")
    func raggedRow() throws {
        let path = try RepositoryPaths.fixture("data/ragged.csv")
        let error = try #require(throws: DataFileError.self) { try CSVReader().read(path: path) }
        #expect(error.code == .raggedRow)
        #expect(error.line == 5)
        #expect(error.description == "\(path):5: row has 2 fields, the header has 3")
    }

    @Test("an unclosed quote names the line where it opened")
    func unterminated() throws {
        let error = try #require(throws: DataFileError.self) {
            try CSVReader().read(path: RepositoryPaths.fixture("data/unterminated.csv"))
        }
        #expect(error.code == .unterminatedQuote)
        #expect(error.line == 3)
    }

    @Test("quotes in the middle of a field are refused")
    func strayQuotes() throws {
        let inside = try #require(throws: DataFileError.self) {
            try CSVReader().read(path: RepositoryPaths.fixture("data/stray_quote.csv"))
        }
        #expect(inside.code == .strayQuote && inside.line == 3)
        let after = try #require(throws: DataFileError.self) {
            try CSVReader().read(path: RepositoryPaths.fixture("data/after_quote.csv"))
        }
        #expect(after.code == .strayQuote && after.line == 2)
    }

    @Test("duplicate header names and overflowing numbers are refused")
    func headerAndOverflow() throws {
        let header = try #require(throws: DataFileError.self) {
            try CSVReader().read(path: RepositoryPaths.fixture("data/duplicate_header.csv"))
        }
        #expect(header.code == .badHeader && header.line == 1)
        let overflow = try #require(throws: DataFileError.self) {
            try CSVReader().read(path: RepositoryPaths.fixture("data/overflow.csv"))
        }
        #expect(overflow.code == .numberOutOfRange && overflow.line == 3)
    }

    @Test("other delimiters, bare CR line ends, missing file, empty input and invalid UTF-8")
    func variants() throws {
        let semicolon = try CSVReader(delimiter: UInt8(ascii: ";")).parse(Array("a;b\r1;x,y\r".utf8), file: "mem.csv")
        #expect(semicolon.columns.map(\.values) == [[.number(1)], [.string("x,y")]])
        #expect(semicolon.rowLines == [2])
        #expect(throws: DataFileError.self) { try CSVReader().parse([], file: "empty.csv") }
        #expect(throws: DataFileError.self) { try CSVReader().parse([0x61, 0x0A, 0xFF, 0x0A], file: "bad.csv") }
        let missing = try #require(throws: DataFileError.self) { try CSVReader().read(path: "/nonexistent/x.csv") }
        #expect(missing.code == .unreadable)
    }

    @Test("a builder error in a data file names the file line of the row")
    func builderErrorLine() throws {
        let path = try RepositoryPaths.fixture("data/training.csv")
        let table = try DataTable.read(path: path)
        #expect(table.rowCount == 61)
        let inferred = try table.buildBaseline(
            with: BaselineBuilder(), model: "m", version: "1", excludedColumns: ["id"])
        #expect(inferred.features.map(\.name) == ["x", "color", "label"])
        #expect(inferred.features[0].type == .categorical)
        let error = try #require(throws: BaselineTableError.self) {
            try table.buildBaseline(
                with: BaselineBuilder(), model: "m", version: "1", typeOverrides: ["x": .numeric],
                excludedColumns: ["id"])
        }
        #expect(error.line == 62)
        #expect(error.underlying.code == .nonNumericValue)
        #expect(error.description.hasPrefix("\(path):62: column x: "))
        let unknown = try #require(throws: BaselineTableError.self) {
            try table.buildBaseline(with: BaselineBuilder(), model: "m", version: "1", excludedColumns: ["nope"])
        }
        #expect(unknown.underlying.code == .unknownColumn)
    }
}
