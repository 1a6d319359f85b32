import DriftCore
import DriftData
import Foundation
import Testing

/// The readers read files in blocks: wherever a block ends (inside a quoted field, between CR and
/// LF, inside a multi-byte character, inside a JSON line), the table and the errors are those of
/// one block holding the whole file. Each input is read with every block size from 1 byte to
/// past its length, so every byte position is a block boundary in some read.
@Suite("Reading in blocks")
struct BlockReadingTests {
    /// Block sizes putting a boundary after every byte of an input of `count` bytes.
    private func blockSizes(_ count: Int) -> ClosedRange<Int> { 1...(count + 1) }

    private func columns(_ table: DataTable) -> [String: [DataValue]] {
        Dictionary(uniqueKeysWithValues: table.columns.map { ($0.name, $0.values) })
    }

    /// Quoted fields with LF, CRLF and CR inside, `""` escapes, 2-, 3- and 4-byte characters, a
    /// byte-order mark, blank lines, CRLF and CR record ends and no final line end.
    private static let csv =
        "\u{FEFF}name,note,x\r\n\r\n\"Zoë\",\"two\nlines\",1.5\r\n"
        + "\"say \"\"hi\"\"\",\"a\r\nb\rc\",\"\"\n\n"
        + "€uro,\"\"\"\",-2e3\r"
        + "😀,plain,12345678\n"
        + "\"x,y\",\"end \"\"q\"\"\","

    @Test("CSV: the same table for every block size (quoted line breaks, escapes, multi-byte UTF-8)")
    func csvEveryBoundary() throws {
        let bytes = Array(Self.csv.utf8)
        let whole = try CSVReader().parse(bytes, file: "b.csv")
        #expect(whole.columns.map(\.name) == ["name", "note", "x"])
        #expect(whole.rowLines == [3, 5, 9, 10, 11])
        #expect(
            columns(whole) == [
                "name": [.string("Zoë"), .string("say \"hi\""), .string("€uro"), .string("😀"), .string("x,y")],
                "note": [
                    .string("two\nlines"), .string("a\r\nb\rc"), .string("\""), .string("plain"), .string("end \"q\"")
                ],
                "x": [.number(1.5), .string(""), .number(-2000), .number(12_345_678), .missing]
            ])
        for size in blockSizes(bytes.count) {
            let table = try CSVReader(blockSize: size).parse(bytes, file: "b.csv")
            #expect(table == whole, "block size \(size)")
        }
    }

    @Test("CSV: syntax and cell errors name the same line for every block size")
    func csvErrorsEveryBoundary() throws {
        let cases: [(text: String, code: DataFileError.Code, line: Int)] = [
            ("a,b\n\"1\n2\",x\"y\n", .strayQuote, 3),
            ("a,b\n\"é\r\n\",\"z\"w\n", .strayQuote, 3),
            ("a,b\n1,2\r\n\"open,3\n\n", .unterminatedQuote, 3),
            ("a,b\n\"\r\r\",1,2\n", .raggedRow, 2),
            ("a,b\n1,2\r3,1e400\r", .numberOutOfRange, 3),
            ("a,\"a\"\n1,2\n", .badHeader, 1),
            ("\r\n\n\"a\n\",\"\"\n", .badHeader, 3),
            ("\n\r\n\r", .empty, 0)
        ]
        for (text, code, line) in cases {
            let bytes = Array(text.utf8)
            let whole = try #require(throws: DataFileError.self) { try CSVReader().parse(bytes, file: "e.csv") }
            #expect(whole.code == code && (whole.line ?? 0) == line, "\(text.debugDescription): \(whole)")
            for size in blockSizes(bytes.count) {
                let error = try #require(throws: DataFileError.self) {
                    try CSVReader(blockSize: size).parse(bytes, file: "e.csv")
                }
                #expect(error == whole, "\(text.debugDescription), block size \(size)")
            }
        }
    }

    @Test("invalid UTF-8 is found across block boundaries and wins over an earlier syntax error")
    func utf8EveryBoundary() throws {
        let valid = Array("a,b\n€,😀\n".utf8)
        let invalid: [[UInt8]] = [
            Array("a,b\n".utf8) + [0xE2, 0x82] + Array(",x\n".utf8),  // truncated 3-byte character
            Array("a,b\n".utf8) + [0xF0, 0x9F, 0x98] + Array("\n".utf8),  // truncated 4-byte character
            Array("a,b\n1,".utf8) + [0xE2, 0x82],  // truncated at the end of the file
            Array("a,b\nx".utf8) + [0x80] + Array(",y\n".utf8),  // lone continuation byte
            Array("a,b\n".utf8) + [0xC0, 0xAF] + Array(",y\n".utf8),  // overlong encoding
            Array("a,b\n".utf8) + [0xED, 0xA0, 0x80] + Array(",y\n".utf8),  // surrogate
            Array("a,b\nx\"y,1\n2,3\n".utf8) + [0xFF]  // a stray quote first, invalid UTF-8 later
        ]
        for size in blockSizes(valid.count) {
            #expect(try CSVReader(blockSize: size).parse(valid, file: "u.csv").rowCount == 1)
        }
        for bytes in invalid {
            for size in blockSizes(bytes.count) {
                let csv = try #require(throws: DataFileError.self) {
                    try CSVReader(blockSize: size).parse(bytes, file: "u.csv")
                }
                #expect(csv.code == .notUTF8, "\(bytes), block size \(size): \(csv)")
                let jsonl = try #require(throws: DataFileError.self) {
                    try JSONLReader(blockSize: size).parse(bytes, file: "u.jsonl")
                }
                #expect(jsonl.code == .notUTF8, "\(bytes), block size \(size): \(jsonl)")
            }
        }
    }

    @Test("JSON lines: the same table, and errors with the same line and column, for every block size")
    func jsonlEveryBoundary() throws {
        let text =
            "\u{FEFF}{\"a\": 1, \"s\": \"Zoë\"}\r\n\n  \n{\"s\": \"😀 \\\"q\\\"\", \"a\": null, \"b\": true}\n"
            + "{\"a\": -2.5e3, \"€\": \"x\"}"
        let bytes = Array(text.utf8)
        let whole = try JSONLReader().parse(bytes, file: "b.jsonl")
        #expect(whole.rowLines == [1, 4, 5])
        #expect(
            columns(whole) == [
                "a": [.number(1), .missing, .number(-2500)],
                "s": [.string("Zoë"), .string("😀 \"q\""), .missing],
                "b": [.missing, .bool(true), .missing],
                "€": [.missing, .missing, .string("x")]
            ])
        for size in blockSizes(bytes.count) {
            #expect(try JSONLReader(blockSize: size).parse(bytes, file: "b.jsonl") == whole, "block size \(size)")
        }
        let errors: [(text: String, code: DataFileError.Code, line: Int, column: String)] = [
            ("{\"a\": 1}\n\n{\"é\": 1, \"a\": tru}\n{\"a\": 2}\n", .invalidJSON, 3, "column "),
            ("{\"a\": 1}\r\n{\"a\": [1]}\n", .nestedValue, 2, "column "),
            ("{\"a\": 1}\n{\"😀\": 1, \"😀\": 2}", .duplicateKey, 2, "key ")
        ]
        for (text, code, line, prefix) in errors {
            let bytes = Array(text.utf8)
            let whole = try #require(throws: DataFileError.self) { try JSONLReader().parse(bytes, file: "e.jsonl") }
            #expect(whole.code == code && whole.line == line && whole.message.hasPrefix(prefix), "\(whole)")
            for size in blockSizes(bytes.count) {
                let error = try #require(throws: DataFileError.self) {
                    try JSONLReader(blockSize: size).parse(bytes, file: "e.jsonl")
                }
                #expect(error == whole, "\(text.debugDescription), block size \(size)")
            }
        }
    }

    @Test("files are read in blocks: a file of many blocks gives the table of its bytes read whole")
    func fileInBlocks() throws {
        var text = "id,label,value\n"
        for row in 0..<2_000 {
            let label = row % 7 == 0 ? "\"multi\nline \"\"\(row % 3)\"\"\"" : "ü\(row % 5)"
            text += "\(row),\(label),\(Double(row) / 8)\(row % 2 == 0 ? "\r\n" : "\n")"
        }
        let bytes = Array(text.utf8)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("blocks-\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = try CSVReader(blockSize: bytes.count * 2).parse(bytes, file: path)
        #expect(whole.rowCount == 2_000)
        #expect(whole.rowLines.last == 2 + 1_999 + 286, "286 rows before the last span two lines")
        for size in [7, 100, 4_096] {
            #expect(try CSVReader(blockSize: size).read(path: path) == whole, "block size \(size)")
        }
        #expect(try CSVReader().read(path: path) == whole)
    }
}
