import DriftCore
import DriftData
import Testing

@Suite("JSONL reader")
struct JSONLReaderTests {
    @Test("columns in first-seen order, absent keys and null are missing, types kept, escapes decoded")
    func rows() throws {
        let table = try JSONLReader().read(path: RepositoryPaths.fixture("data/rows.jsonl"))
        #expect(table.columns.map(\.name) == ["tenure", "plan", "active", "note", "extra"])
        #expect(table.rowLines == [1, 3, 4])
        let values = Dictionary(uniqueKeysWithValues: table.columns.map { ($0.name, $0.values) })
        #expect(values["tenure"] == [.number(12), .number(3.5), .number(-1000)])
        #expect(values["plan"] == [.string("pro"), .string("basic"), .missing])
        #expect(values["active"] == [.bool(true), .bool(false), .missing])
        #expect(values["note"] == [.missing, .missing, .missing])
        #expect(values["extra"] == [.missing, .string("café 😀"), .missing])
    }

    @Test("syntax errors name the file and line")
    func syntaxError() throws {
        let path = try RepositoryPaths.fixture("data/bad_syntax.jsonl")
        let error = try #require(throws: DataFileError.self) { try JSONLReader().read(path: path) }
        #expect(error.code == .invalidJSON)
        #expect(error.line == 3)
        #expect(error.description.hasPrefix("\(path):3: column "))
    }

    @Test("nested values, non-objects and duplicate keys are refused with their line")
    func refusals() throws {
        let nested = try #require(throws: DataFileError.self) {
            try JSONLReader().read(path: RepositoryPaths.fixture("data/nested.jsonl"))
        }
        #expect(nested.code == .nestedValue && nested.line == 2)
        let notObject = try #require(throws: DataFileError.self) {
            try JSONLReader().read(path: RepositoryPaths.fixture("data/not_object.jsonl"))
        }
        #expect(notObject.code == .notAnObject && notObject.line == 2)
        let duplicate = try #require(throws: DataFileError.self) {
            try JSONLReader().read(path: RepositoryPaths.fixture("data/duplicate_key.jsonl"))
        }
        #expect(duplicate.code == .duplicateKey && duplicate.line == 1)
    }

    @Test("malformed scalars are invalid JSON, not crashes")
    func malformedScalars() {
        let cases = [
            #"{"a": 01}"#, #"{"a": -}"#, #"{"a": 1.}"#, #"{"a": tru}"#, #"{"a": "x\q"}"#, #"{"a": "\ud800"}"#,
            #"{"a": "unterminated}"#, #"{"a" 1}"#, #"{a: 1}"#, #"{"a": 1} x"#, "{\"a\": \"tab\there\"}", #"{"a": NaN}"#
        ]
        for text in cases {
            #expect(throws: DataFileError.self, "\(text)") {
                try JSONLReader().parse(Array(text.utf8), file: "m.jsonl")
            }
        }
        #expect(throws: DataFileError.self) { try JSONLReader().parse(Array("\n \n".utf8), file: "blank.jsonl") }
        let overflow = try? JSONLReader().parse(Array(#"{"a": 1e400}"#.utf8), file: "o.jsonl")
        #expect(overflow == nil)
    }

    @Test("DataTable.read picks the reader by extension")
    func dispatch() throws {
        #expect(try DataTable.read(path: RepositoryPaths.fixture("data/rows.jsonl")).rowCount == 3)
        let error = try #require(throws: DataFileError.self) { try DataTable.read(path: "data.parquet") }
        #expect(error.code == .unsupportedFormat)
    }
}
