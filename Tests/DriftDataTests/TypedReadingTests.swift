import DriftCore
import DriftData
import Foundation
import Testing

@Suite("Typed reading of CSV and JSONL")
struct TypedReadingTests {
    private func values(_ table: DataTable) -> [String: [DataValue]] {
        Dictionary(uniqueKeysWithValues: table.columns.map { ($0.name, $0.values) })
    }

    @Test("CSV columns are typed; repeated text shares one label however it was quoted")
    func csvTyped() throws {
        let text =
            "n,c,b\n1,basic,true\n2.5,\"basic\",TRUE\n,pro,False\n-3e2,\"say \"\"hi\"\"\",false\n7,\"say \"\"hi\"\"\",\n"
        let table = try CSVReader().parse(Array(text.utf8), file: "m.csv")
        let columns = values(table)
        #expect(columns["n"] == [.number(1), .number(2.5), .missing, .number(-300), .number(7)])
        #expect(
            columns["c"] == [
                .string("basic"), .string("basic"), .string("pro"), .string("say \"hi\""), .string("say \"hi\"")
            ])
        #expect(columns["b"] == [.bool(true), .bool(true), .bool(false), .bool(false), .missing])
        let c = try #require(table.columns.first { $0.name == "c" }?.storedCells)
        #expect(c.labels == [.string("basic"), .string("pro"), .string("say \"hi\"")])
        #expect(c.numbers.isEmpty)
        let b = try #require(table.columns.first { $0.name == "b" }?.storedCells)
        #expect(b.labels == [.bool(true), .bool(false)], "true/TRUE and False/false are one label each")
        let n = try #require(table.columns.first { $0.name == "n" }?.storedCells)
        #expect(n.labelIndexes.isEmpty && n.numbers.count == 5)
    }

    @Test("a ragged row is reported before a bad number in the same row")
    func csvErrorPriority() throws {
        let ragged = try #require(throws: DataFileError.self) {
            try CSVReader().parse(Array("a,b\n1,2\n1e400,2,3\n".utf8), file: "m.csv")
        }
        #expect(ragged.code == .raggedRow && ragged.line == 3)
        let overflow = try #require(throws: DataFileError.self) {
            try CSVReader().parse(Array("a,b\n1,2\n1e400,2\n".utf8), file: "m.csv")
        }
        #expect(overflow.code == .numberOutOfRange && overflow.line == 3)
        let stray = try #require(throws: DataFileError.self) {
            try CSVReader().parse(Array("a,b\n1e400,x\"y\n".utf8), file: "m.csv")
        }
        #expect(stray.code == .strayQuote && stray.line == 2)
    }

    @Test("the CSV header may follow blank lines; a one-column file skips blank lines")
    func csvBlankLines() throws {
        let table = try CSVReader().parse(Array("\n\r\nx\n1\n\n\"\"\n2\n".utf8), file: "m.csv")
        #expect(table.rowLines == [4, 6, 7])
        #expect(table.columns.first?.values == [.number(1), .string(""), .number(2)])
    }

    @Test("numbers read exactly as Double(text), in CSV and JSONL")
    func numbersExact() throws {
        var random = SystemRandomNumberGenerator()
        var texts: [String] = [
            "0", "-0", "0.1", "1e22", "1e23", "9007199254740993", "123456789012345678901234", "4.9e-324",
            "1.7976931348623157e308", "2.2250738585072014e-308"
        ]
        for _ in 0..<2_000 {
            let x = Double(bitPattern: random.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random() ? 1 : -1)
            texts.append("\(x)")
            texts.append(String(format: "%.6f", Double.random(in: -1_000...1_000)))
            texts.append(String(Int.random(in: -1_000_000...1_000_000)))
        }
        let csv = "x\n" + texts.joined(separator: "\n") + "\n"
        let jsonl = texts.map { "{\"x\": \($0)}" }.joined(separator: "\n")
        let expected = texts.map { DataValue.number(Double($0)!) }
        #expect(try CSVReader().parse(Array(csv.utf8), file: "m.csv").columns[0].values == expected)
        #expect(try JSONLReader().parse(Array(jsonl.utf8), file: "m.jsonl").columns[0].values == expected)
    }

    @Test("JSONL keys in a different order, escaped keys and absent keys land in the right columns")
    func jsonlKeys() throws {
        let text = """
            {"a": 1, "b": "x", "c": true}
            {"b": "x", "a": 2}
            {"\\u0061": 3, "d": "y\\"z", "b": "\\u0078"}
            {"c": false, "a": null, "b": "x", "d": "y\\"z"}
            """
        let table = try JSONLReader().parse(Array(text.utf8), file: "m.jsonl")
        #expect(table.columns.map(\.name) == ["a", "b", "c", "d"])
        let columns = values(table)
        #expect(columns["a"] == [.number(1), .number(2), .number(3), .missing])
        #expect(columns["b"] == [.string("x"), .string("x"), .string("x"), .string("x")])
        #expect(columns["c"] == [.bool(true), .missing, .missing, .bool(false)])
        #expect(columns["d"] == [.missing, .missing, .string("y\"z"), .string("y\"z")])
        let b = try #require(table.columns.first { $0.name == "b" }?.storedCells)
        #expect(b.labels == [.string("x")], "\"x\" and \"\\u0078\" are one label")
    }

    @Test("a key repeated in one JSONL object is refused, also when spelled with an escape")
    func jsonlDuplicates() throws {
        for text in [
            #"{"a": 1, "b": 2}"# + "\n" + #"{"a": 1, "a": 2}"#, #"{"a": 1}"# + "\n" + #"{"a": 1, "\u0061": 2}"#
        ] {
            let error = try #require(throws: DataFileError.self) {
                try JSONLReader().parse(Array(text.utf8), file: "m.jsonl")
            }
            #expect(error.code == .duplicateKey && error.line == 2)
            #expect(error.message.hasSuffix(#"key "a" appears twice"#))
        }
    }

    @Test("JSONL syntax errors keep their column: the token simdjson failed on, with its message")
    func jsonlColumns() throws {
        let badString = "invalid JSON: Problem while parsing a string"
        let cases: [(String, String)] = [
            (#"{"a": "x\q"}"#, "column 7: \(badString)"),
            (#"{"a": "\u12G4"}"#, "column 7: \(badString)"),
            (#"{"a": "\ud800x"}"#, "column 7: \(badString)"),
            (#"{"a": "\ud800\u0041"}"#, "column 7: \(badString)"),
            (#"{"a": 1e999}"#, "column 7: number 1e999 is out of range for a double"),
            (#"{"a": [1]}"#, #"column 7: value of key "a" is an array; only flat objects are supported"#),
            (#"{"b": 2, "a": {}}"#, #"column 15: value of key "a" is an object; only flat objects are supported"#),
            (
                #"{"a" 1}"#,
                "column 6: invalid JSON: The JSON document has an improper structure: missing or superfluous commas, braces, missing keys, etc."
            )
        ]
        for (text, message) in cases {
            let error = try #require(throws: DataFileError.self, "\(text)") {
                try JSONLReader().parse(Array(text.utf8), file: "m.jsonl")
            }
            #expect(error.message == message, "\(text)")
        }
    }

    @Test("baselines and comparisons are the same from typed columns and from values")
    func typedMatchesValues() throws {
        var lines = ["x,plan,flag,code,id"]
        var random = SplitMix64(seed: 7)
        for row in 0..<3_000 {
            let x = row % 50 == 0 ? "" : String(Double(random.next() % 100_000) / 100)
            let plan = ["basic", "pro", "\"enterprise\""][Int(random.next() % 3)]
            let flag = ["true", "False", ""][Int(random.next() % 3)]
            lines.append("\(x),\(plan),\(flag),\(random.next() % 12),u\(row)")
        }
        let table = try CSVReader().parse(Array((lines.joined(separator: "\n") + "\n").utf8), file: "t.csv")
        let plain = table.columns.map { DataColumn(name: $0.name, values: $0.values) }
        #expect(table.columns.allSatisfy { $0.storedCells != nil })
        let builder = BaselineBuilder()
        let typedBaseline = try builder.build(model: "m", version: "1", columns: table.columns)
        let plainBaseline = try builder.build(model: "m", version: "1", columns: plain)
        #expect(typedBaseline == plainBaseline)
        let forced = table.columns.map { column in
            var column = column
            if column.name == "code" { column.typeOverride = .categorical }
            return column
        }
        #expect(
            try builder.profile(forced[3])
                == builder.profile(DataColumn(name: "code", values: forced[3].values, typeOverride: .categorical)))

        for method in [DriftMethod.jensenShannon, .ks] {
            let comparison = try BatchComparison(baseline: typedBaseline, rules: ComparisonRules(method: method))
            #expect(try comparison.compare(table.columns) == comparison.compare(plain))
        }
    }

    @Test("typed columns report wrong-type and non-finite values like value columns")
    func typedErrors() throws {
        let table = try CSVReader().parse(Array("x\n1\n2\nhigh\n3\n".utf8), file: "t.csv")
        let forced = DataColumn(name: "x", cells: try #require(table.columns[0].storedCells), typeOverride: .numeric)
        let error = try #require(throws: BaselineBuildError.self) { try BaselineBuilder().profile(forced) }
        #expect(error.code == .nonNumericValue && error.row == 2)
        let infinite = DataColumn(name: "x", cells: DataColumn.Cells([.number(1), .string("a"), .number(.infinity)]))
        let nonFinite = try #require(throws: BaselineBuildError.self) { try BaselineBuilder().profile(infinite) }
        #expect(nonFinite.code == .nonFiniteValue && nonFinite.row == 2)
    }
}
