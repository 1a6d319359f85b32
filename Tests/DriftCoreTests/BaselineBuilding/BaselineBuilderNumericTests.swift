import DriftCore
import Foundation
import Testing

@Suite("BaselineBuilder: numeric features")
struct BaselineBuilderNumericTests {
    private func numericColumn(_ name: String, _ values: [Double]) -> DataColumn {
        DataColumn(name: name, values: values.map { .number($0) }, typeOverride: .numeric)
    }

    @Test("quantile edges, counts and summary agree with numpy")
    func matchesNumpy() throws {
        let fixture = try NumpyQuantileFixture.load()
        #expect(fixture.cases.count >= 9)
        for testCase in fixture.cases {
            let builder = BaselineBuilder(options: BaselineBuildOptions(binCount: testCase.bins))
            let profile = try builder.profile(numericColumn(testCase.name, testCase.values))
            #expect(profile.type == .numeric, "\(testCase.name)")
            #expect(profile.edges == testCase.edges, "\(testCase.name): edges differ from numpy")
            #expect(profile.counts == testCase.counts, "\(testCase.name): counts differ from numpy")
            let summary = try #require(profile.summary)
            #expect(summary.min == testCase.min && summary.max == testCase.max, "\(testCase.name)")
            let scale = Swift.max(abs(testCase.mean), testCase.std, .leastNormalMagnitude)
            #expect(abs(summary.mean - testCase.mean) <= 1e-12 * scale, "\(testCase.name): mean")
            #expect(abs(summary.std - testCase.std) <= 1e-12 * scale, "\(testCase.name): std")
            #expect(profile.validationErrors().isEmpty, "\(testCase.name)")
        }
    }

    @Test("edges start at the training minimum and end just above the maximum")
    func edgeEnds() throws {
        let values = (0..<1_000).map { Double($0) * 0.37 - 40 }
        let profile = try BaselineBuilder().profile(numericColumn("x", values))
        let edges = try #require(profile.edges)
        #expect(edges.first == values.min())
        #expect(edges.last == values.max()!.nextUp)
        #expect(edges.count == 11)
        #expect(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test("values outside the training range land in the open outer bins")
    func outerBins() throws {
        let values = (1...500).map { Double($0) }
        let profile = try BaselineBuilder().profile(numericColumn("x", values))
        let edges = try #require(profile.edges)
        #expect(profile.counts.first == 0)
        #expect(profile.counts.last == 0)
        #expect(profile.presentCount == 500)
        #expect(BinSearch.bin(of: 0.999, edges: edges) == 0)
        #expect(BinSearch.bin(of: -1e9, edges: edges) == 0)
        #expect(BinSearch.bin(of: 1, edges: edges) == 1)
        #expect(BinSearch.bin(of: 500, edges: edges) == edges.count - 1)
        #expect(BinSearch.bin(of: 500.0.nextUp, edges: edges) == edges.count)
        #expect(BinSearch.bin(of: 1e12, edges: edges) == edges.count)
    }

    @Test("a constant column has one inner bin holding every row")
    func constantColumn() throws {
        let profile = try BaselineBuilder().profile(numericColumn("c", Array(repeating: 7.5, count: 300)))
        #expect(profile.edges == [7.5, 7.5.nextUp])
        #expect(profile.counts == [0, 300, 0])
        #expect(profile.summary == NumericSummary(min: 7.5, max: 7.5, mean: 7.5, std: 0))
        #expect(profile.validationErrors().isEmpty)
    }

    @Test("a column at the largest finite double keeps finite edges")
    func largestDouble() throws {
        let profile = try BaselineBuilder().profile(numericColumn("big", [1, .greatestFiniteMagnitude]))
        let edges = try #require(profile.edges)
        #expect(edges.allSatisfy { $0.isFinite })
        #expect(profile.validationErrors().isEmpty)
    }

    @Test("an all-missing column forced numeric gives a valid empty profile")
    func allMissingNumeric() throws {
        let column = DataColumn(name: "m", values: [.missing, .number(.nan), .missing], typeOverride: .numeric)
        let profile = try BaselineBuilder().profile(column)
        #expect(profile.edges == [0])
        #expect(profile.counts == [0, 0])
        #expect(profile.missingCount == 3)
        #expect(profile.summary == nil)
        #expect(profile.sample == [])
        #expect(profile.validationErrors().isEmpty)
    }

    @Test("NaN and missing cells count as missing, not as values")
    func missingCounted() throws {
        var values: [DataValue] = (0..<100).map { .number(Double($0)) }
        values += [.missing, .number(.nan), .missing]
        let profile = try BaselineBuilder().profile(DataColumn(name: "x", values: values))
        #expect(profile.type == .numeric)
        #expect(profile.missingCount == 3)
        #expect(profile.presentCount == 100)
        #expect(profile.summary?.max == 99)
    }

    @Test("the sample is a sorted subset of at most sampleSize values, spread over the data")
    func sampleIsUniform() throws {
        let values = (0..<100_000).map { Double($0) }
        let profile = try BaselineBuilder().profile(numericColumn("x", values))
        let sample = try #require(profile.sample)
        #expect(sample.count == 2_000)
        #expect(sample == sample.sorted())
        #expect(Set(sample).count == 2_000)
        #expect(sample.allSatisfy { $0 >= 0 && $0 < 100_000 && $0.rounded() == $0 })
        let mean = sample.reduce(0, +) / Double(sample.count)
        #expect(abs(mean - 49_999.5) < 2_500, "sample mean \(mean) is far from the data mean")
        #expect(sample.filter { $0 < 10_000 }.count > 120)
        #expect(sample.filter { $0 >= 90_000 }.count > 120)
    }

    @Test("the sample keeps every value when there are few, and none when sampleSize is 0")
    func sampleSmall() throws {
        let values: [Double] = [5, 1, 4, 2, 3]
        let all = try BaselineBuilder().profile(numericColumn("x", values))
        #expect(all.sample == [1, 2, 3, 4, 5])
        let none = try BaselineBuilder(options: BaselineBuildOptions(sampleSize: 0)).profile(numericColumn("x", values))
        #expect(none.sample == [])
    }

    @Test("the seed changes the sample and the same seed repeats it")
    func sampleSeeded() throws {
        let values = (0..<10_000).map { Double($0) }
        let a = try BaselineBuilder(options: BaselineBuildOptions(seed: 1)).profile(numericColumn("x", values))
        let b = try BaselineBuilder(options: BaselineBuildOptions(seed: 1)).profile(numericColumn("x", values))
        let c = try BaselineBuilder(options: BaselineBuildOptions(seed: 2)).profile(numericColumn("x", values))
        #expect(a.sample == b.sample)
        #expect(a.sample != c.sample)
    }

    @Test("an infinite number is rejected with its column and row")
    func infiniteRejected() throws {
        let column = DataColumn(name: "x", values: [.number(1), .number(.infinity)])
        let error = try #require(throws: BaselineBuildError.self) { try BaselineBuilder().profile(column) }
        #expect(error == BaselineBuildError(.nonFiniteValue, column: "x", row: 1, "number inf is not finite"))
    }

    @Test("a string in a column forced numeric is rejected with its row")
    func nonNumericRejected() throws {
        let column = DataColumn(name: "x", values: [.number(1), .missing, .string("high")], typeOverride: .numeric)
        let error = try #require(throws: BaselineBuildError.self) { try BaselineBuilder().profile(column) }
        #expect(error.code == .nonNumericValue)
        #expect(error.row == 2)
        #expect(error.description.contains("\"high\""))
    }
}
