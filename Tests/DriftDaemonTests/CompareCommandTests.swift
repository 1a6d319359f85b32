import DriftCore
import DriftData
import Foundation
import Testing

/// `driftd compare` end to end: the built binary on files, its output and exit codes.
@Suite("driftd compare", .serialized)
struct CompareCommandTests {
    static let baseline = "config/baselines/churn.json"
    static let training = "config/data/churn_training.csv"

    /// The example training data with `transform` applied to each data row's cells (header kept).
    private func derivedCSV(_ name: String, transform: ([String], Int) -> [String]) throws -> String {
        let text = try String(
            contentsOfFile: CommandLineTests.packageRoot.appendingPathComponent(Self.training).path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var out = [transform(header, -1).joined(separator: ",")]
        for (row, line) in lines.enumerated() {
            out.append(
                transform(line.split(separator: ",", omittingEmptySubsequences: false).map(String.init), row).joined(
                    separator: ","))
        }
        let path = CommandLineTests.temporary(name)
        try (out.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("the training data against its own baseline: table, no drift, exit 0")
    func sameData() async throws {
        let result = try await CommandLineTests.driftd([
            "compare", "--baseline", Self.baseline, "--input", Self.training
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("FEATURE"))
        #expect(result.stdout.contains("dataset: no drift: 0 of 6 features drifted"))
        #expect(result.stdout.contains("columns not in the baseline (ignored): customer_id"))
    }

    @Test("a shifted feature and a dropped column: JSON verdicts, --drift-share and --fail-on-drift")
    func driftedData() async throws {
        let path = try derivedCSV("shifted.csv") { cells, row in
            // Drop autopay (index 6); add 24 months of tenure (index 1).
            var cells = cells
            if row >= 0, let tenure = Double(cells[1]) { cells[1] = String(Int(tenure) + 24) }
            cells.remove(at: 6)
            return cells
        }
        let base = ["compare", "--baseline", Self.baseline, "--input", path, "--format", "json"]
        let plain = try await CommandLineTests.driftd(base)
        #expect(plain.status == 0, "\(plain.stderr)")
        let report = try json(plain.stdout)
        let features = try #require(report["features"] as? [[String: Any]])
        let byName = Dictionary(
            uniqueKeysWithValues: features.compactMap { f in (f["name"] as? String).map { ($0, f) } })
        #expect(byName["tenure"]?["drifted"] as? Bool == true)
        #expect(byName["autopay"]?["drifted"] as? Bool == true)
        #expect(byName["autopay"]?["missing_share"] as? Double == 1)
        #expect(byName["plan"]?["drifted"] as? Bool == false)
        #expect(report["missing_columns"] as? [String] == ["autopay"])
        #expect(report["drifted_count"] as? Int == 2)
        #expect(report["dataset_drifted"] as? Bool == false)
        #expect(plain.stderr.contains("has no column for autopay"))

        let failing = try await CommandLineTests.driftd(base + ["--drift-share", "0.3", "--fail-on-drift"])
        #expect(failing.status == 1, "\(failing.stderr)")
        #expect(try json(failing.stdout)["dataset_drifted"] as? Bool == true)
        let passing = try await CommandLineTests.driftd(base + ["--fail-on-drift"])
        #expect(passing.status == 0)
    }

    @Test("--method, --threshold and per-feature overrides reach the verdicts")
    func overrides() async throws {
        let result = try await CommandLineTests.driftd([
            "compare", "--baseline", Self.baseline, "--input", Self.training, "--format", "json", "--method", "ks",
            "--threshold", "0.2", "--feature-method", "plan=psi", "--feature-threshold", "tenure=0.01"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let features = try #require(try json(result.stdout)["features"] as? [[String: Any]])
        let tenure = try #require(features.first { $0["name"] as? String == "tenure" })
        #expect(tenure["method"] as? String == "ks")
        #expect(tenure["path"] as? String == "raw_sample")
        #expect(tenure["threshold"] as? Double == 0.01)
        let plan = try #require(features.first { $0["name"] as? String == "plan" })
        #expect(plan["method"] as? String == "psi")
        #expect(plan["threshold"] as? Double == 0.2)
        let region = try #require(features.first { $0["name"] as? String == "region" })
        #expect(region["method_source"] as? String == "default")  // ks cannot score a categorical feature
    }

    @Test("the config file's rules apply: per-feature methods and disabled features")
    func configuration() async throws {
        let result = try await CommandLineTests.driftd([
            "compare", "--config", "config/driftd.yaml", "--input", Self.training, "--format", "json"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result.stdout)
        #expect(report["disabled_features"] as? [String] == ["region"])
        let features = try #require(report["features"] as? [[String: Any]])
        let tenure = try #require(features.first { $0["name"] as? String == "tenure" })
        #expect(tenure["method"] as? String == "psi")
        #expect(tenure["threshold"] as? Double == 0.25)
        #expect(tenure["method_source"] as? String == "configuration")
    }

    @Test("--format html: one self-contained page with a chart per feature and the prediction")
    func htmlReport() async throws {
        let path = try derivedCSV("html.csv") { cells, row in
            // plan (index 3) gets an unseen category on every fifth row.
            var cells = cells
            if row >= 0 && row % 5 == 0 { cells[3] = "trial" }
            return cells
        }
        let result = try await CommandLineTests.driftd([
            "compare", "--baseline", Self.baseline, "--input", path, "--format", "html"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let html = result.stdout
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg class=\"chart\"").count - 1 == 7)
        #expect(html.contains("data-feature=\"plan\""))
        #expect(html.contains("<title>Drift report: churn@3</title>"))
        #expect(!html.contains("<link") && !html.contains(" src="))
        #expect(result.stderr.contains("ignored columns not in the baseline: customer_id"))
    }

    @Test("exit 78 for bad flags, 65 for bad data, with the file and line")
    func exitCodes() async throws {
        let base = ["compare", "--baseline", Self.baseline, "--input", Self.training]
        #expect(try await CommandLineTests.driftd(base + ["--method", "magic"]).status == 78)
        #expect(try await CommandLineTests.driftd(base + ["--threshold=-1"]).status == 78)
        #expect(try await CommandLineTests.driftd(base + ["--format", "xml"]).status == 78)
        #expect(try await CommandLineTests.driftd(base + ["--drift-share", "0"]).status == 78)
        let typo = try await CommandLineTests.driftd(base + ["--feature-method", "tenur=psi"])
        #expect(typo.status == 78)
        #expect(typo.stderr.contains("did you mean 'tenure'?"))
        #expect(try await CommandLineTests.driftd(base + ["--feature-method", "plan=ks"]).status == 78)
        #expect(try await CommandLineTests.driftd(["compare", "--input", Self.training]).status == 78)
        #expect(
            try await CommandLineTests.driftd(["compare", "--baseline", "nope.json", "--input", Self.training]).status
                == 78)

        #expect(
            try await CommandLineTests.driftd(["compare", "--baseline", Self.baseline, "--input", "nope.csv"]).status
                == 65)
        let ragged = try derivedCSV("ragged.csv") { cells, row in row == 9 ? Array(cells.dropLast()) : cells }
        let bad = try await CommandLineTests.driftd(["compare", "--baseline", Self.baseline, "--input", ragged])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("\(ragged):11:"), "\(bad.stderr)")
    }

    @Test("wrong-type values are counted as missing and located by file and line")
    func wrongType() async throws {
        let path = try derivedCSV("na.csv") { cells, row in
            var cells = cells
            if row == 4 || row == 7 { cells[1] = "N/A" }
            return cells
        }
        let result = try await CommandLineTests.driftd([
            "compare", "--baseline", Self.baseline, "--input", path, "--format", "json"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("\(path):6: numeric feature tenure has 2 value(s)"), "\(result.stderr)")
        let features = try #require(try json(result.stdout)["features"] as? [[String: Any]])
        #expect(features.first { $0["name"] as? String == "tenure" }?["wrong_type_count"] as? Int == 2)
    }

    @Test("CSV number cells read as Double(text), bit for bit (the reader's fast path)")
    func csvNumbers() async throws {
        var rng = SplitMix64(seed: 42)
        func digits(_ n: Int) -> String { String((0..<n).map { _ in Character(String(rng.next() % 10)) }) }
        var cells: [String] = [
            "0", "-0", "+0.0", "-0.000", ".5", "5.", "1e22", "1e23", "9007199254740993", "123456789012345678901234",
            "4.9e-324", "2.2250738585072014e-308", "1.7976931348623157e308", "0.1", "-.25E+3", "00012.5000"
        ]
        for _ in 0..<20_000 {
            let sign = ["", "-", "+"][Int(rng.next() % 3)]
            let integer = digits(Int(rng.next() % 12))
            let fraction = rng.next() % 2 == 0 ? "." + digits(Int(rng.next() % 12)) : ""
            let exponent =
                rng.next() % 3 == 0 ? "e" + ["", "-", "+"][Int(rng.next() % 3)] + String(rng.next() % 40) : ""
            let text = sign + (integer.isEmpty && fraction.count < 2 ? "7" : integer) + fraction + exponent
            cells.append(text)
        }
        let csv = "x\n" + cells.joined(separator: "\n") + "\n"
        let table = try CSVReader().parse(Array(csv.utf8), file: "numbers.csv")
        let values = try #require(table.columns.first).values
        #expect(values.count == cells.count)
        for (text, value) in zip(cells, values) {
            let expected = try #require(Double(text), "\(text)")
            guard case .number(let x) = value else {
                Issue.record("\(text) read as \(value)")
                continue
            }
            #expect(x.bitPattern == expected.bitPattern, "\(text): \(x) vs \(expected)")
        }
    }

    /// A seeded 200,000-row CSV of two normal columns; `x` shifted by `shift` sd.
    private func normalCSV(_ name: String, seed: UInt64, shift: Double) throws -> String {
        var rng = SplitMix64(seed: seed)
        var text = "x,y\n"
        text.reserveCapacity(200_000 * 40)
        for _ in 0..<200_000 {
            let x = 50 + 10 * (rng.nextStandardNormal() + shift)
            let y = 5 + 2 * rng.nextStandardNormal()
            text += "\(x),\(y)\n"
        }
        let path = CommandLineTests.temporary(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("two 200,000-row files: a 0.05 sd shift is a small shift in JSON and table; no shift is none")
    func smallShiftBetweenFiles() async throws {
        let training = try normalCSV("train.csv", seed: 1, shift: 0)
        let shifted = try normalCSV("shifted.csv", seed: 2, shift: 0.05)
        let same = try normalCSV("same.csv", seed: 3, shift: 0)
        let baseline = CommandLineTests.temporary("normal.json")
        defer { for path in [training, shifted, same, baseline] { try? FileManager.default.removeItem(atPath: path) } }
        let built = try await CommandLineTests.driftd(
            ["baseline", "build", "--input", training, "--model", "m", "--output", baseline], timeout: 120)
        #expect(built.status == 0, "\(built.stderr)")

        let result = try await CommandLineTests.driftd(
            ["compare", "--baseline", baseline, "--input", shifted, "--format", "json", "--fail-on-drift"], timeout: 120
        )
        #expect(result.status == 0, "a small shift is not drift: \(result.stderr)")
        let report = try json(result.stdout)
        let features = try #require(report["features"] as? [[String: Any]])
        let verdicts = Dictionary(
            uniqueKeysWithValues: features.map { ($0["name"] as? String ?? "", $0["verdict"] as? String ?? "") })
        #expect(verdicts == ["x": "small_shift", "y": "none"])
        #expect(report["small_shift_count"] as? Int == 1)
        #expect(report["small_shift_features"] as? [String] == ["x"])
        #expect(report["drifted_count"] as? Int == 0)
        #expect(report["drift_share"] as? Double == 0)

        let table = try await CommandLineTests.driftd(
            ["compare", "--baseline", baseline, "--input", shifted], timeout: 120)
        #expect(table.stdout.contains("1 with a small shift (not drift)"), "\(table.stdout)")

        let none = try await CommandLineTests.driftd(
            ["compare", "--baseline", baseline, "--input", same, "--format", "json"], timeout: 120)
        let noneFeatures = try #require(try json(none.stdout)["features"] as? [[String: Any]])
        #expect(noneFeatures.map { $0["verdict"] as? String } == ["none", "none"])
    }
}
