import DriftCore
import Testing

/// Columns are profiled in parallel above 100,000 cells: the result and the error reported are
/// those of a serial build.
@Suite("BaselineBuilder: parallel profiling")
struct BaselineBuilderParallelTests {
    private func columns(rows: Int, seed: UInt64) -> [DataColumn] {
        var rng = SplitMix64(seed: seed)
        var out: [DataColumn] = []
        for c in 0..<6 {
            var cells = DataColumn.Cells()
            for row in 0..<rows {
                if row % 97 == 0 {
                    cells.appendMissing()
                } else if c % 3 == 2 {
                    cells.appendNumber(Double(rng.next() % 7))  // few distinct numbers: categorical
                } else {
                    cells.appendNumber(rng.nextStandardNormal() * Double(c + 1))
                }
            }
            out.append(DataColumn(name: "c\(c)", cells: cells))
        }
        return out
    }

    @Test("a large table gives the same profiles as each column profiled on its own")
    func sameAsSerial() throws {
        let data = columns(rows: 40_000, seed: 11)
        let builder = BaselineBuilder()
        let baseline = try builder.build(model: "m", version: "1", columns: data)
        #expect(baseline.features.map(\.name) == data.map(\.name))
        for (profile, column) in zip(baseline.features, data) {
            #expect(profile == (try builder.profile(column)), "\(column.name)")
            // Counts from the sorted values match one bin search per value.
            if let edges = profile.edges {
                var counts = [Double](repeating: 0, count: edges.count + 1)
                for x in column.cells.numbers where !x.isNaN { counts[BinSearch.bin(of: x, edges: edges)] += 1 }
                #expect(profile.counts == counts, "\(column.name)")
            }
        }
    }

    @Test("with several bad columns the first in column order is reported")
    func firstErrorInColumnOrder() throws {
        var data = columns(rows: 40_000, seed: 12)
        for c in [4, 1] {
            var cells = try #require(data[c].storedCells)
            cells.appendNumber(.infinity)
            data[c] = DataColumn(name: data[c].name, cells: cells)
        }
        for c in data.indices where data[c].count == 40_000 {
            var cells = try #require(data[c].storedCells)
            cells.appendMissing()
            data[c] = DataColumn(name: data[c].name, cells: cells)
        }
        let error = try #require(throws: BaselineBuildError.self) {
            try BaselineBuilder().build(model: "m", version: "1", columns: data)
        }
        #expect(error.code == .nonFiniteValue)
        #expect(error.column == "c1")
        #expect(error.row == 40_000)
    }
}
