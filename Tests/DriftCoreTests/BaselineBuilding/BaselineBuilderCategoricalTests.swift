import DriftCore
import Testing

@Suite("BaselineBuilder: type inference and categorical features")
struct BaselineBuilderCategoricalTests {
    @Test("numbers with more than 20 distinct values are numeric, with 20 or fewer categorical")
    func inferenceByDistinctCount() throws {
        let builder = BaselineBuilder()
        let many = DataColumn(name: "a", values: (0..<210).map { .number(Double($0 % 21)) })
        let few = DataColumn(name: "b", values: (0..<210).map { .number(Double($0 % 20)) })
        #expect(try builder.profile(many).type == .numeric)
        let categorical = try builder.profile(few)
        #expect(categorical.type == .categorical)
        #expect(categorical.categories?.count == 20)
        #expect(Set(categorical.categories ?? []) == Set((0..<20).map(String.init)))
    }

    @Test("the distinct-value limit is configurable")
    func inferenceConfigurable() throws {
        let column = DataColumn(name: "a", values: (0..<100).map { .number(Double($0 % 6)) })
        #expect(try BaselineBuilder(options: .init(categoricalMaxDistinct: 5)).profile(column).type == .numeric)
        #expect(try BaselineBuilder(options: .init(categoricalMaxDistinct: 6)).profile(column).type == .categorical)
    }

    @Test("one string among numbers makes the column categorical with canonical labels")
    func mixedValues() throws {
        var values: [DataValue] = (0..<50).map { .number(Double($0)) }
        values.append(.string("n/a"))
        values.append(.number(2.5))
        let profile = try BaselineBuilder().profile(DataColumn(name: "m", values: values))
        #expect(profile.type == .categorical)
        let categories = try #require(profile.categories)
        #expect(categories.contains("0") && categories.contains("49") && categories.contains("n/a"))
        #expect(categories.contains("2.5"))
        #expect(!categories.contains("0.0"))
    }

    @Test("booleans become the categories true and false")
    func booleans() throws {
        let values: [DataValue] = [.bool(true), .bool(false), .bool(true), .missing]
        let profile = try BaselineBuilder().profile(DataColumn(name: "flag", values: values))
        #expect(profile.type == .categorical)
        #expect(profile.categories == ["true", "false"])
        #expect(profile.counts == [2, 1, 0])
        #expect(profile.missingCount == 1)
    }

    @Test("a numeric-looking column can be forced categorical")
    func overrideCategorical() throws {
        let column = DataColumn(
            name: "zip", values: (0..<100).map { .number(Double(10_000 + $0)) }, typeOverride: .categorical)
        let profile = try BaselineBuilder().profile(column)
        #expect(profile.type == .categorical)
        #expect(profile.categories?.count == 100)
        #expect(profile.categories?.first == "10000")
    }

    @Test("categories are ranked by frequency, ties by label, and the cap sends the rest to other")
    func capAndOrder() throws {
        let labels = ["b", "a", "c", "a", "d", "b", "e", "a", "c", "b", "f"]
        let column = DataColumn(name: "plan", values: labels.map { .string($0) })
        let capped = try BaselineBuilder(options: .init(maxCategories: 3)).profile(column)
        #expect(capped.categories == ["a", "b", "c"])
        #expect(capped.counts == [3, 3, 2, 3])
        #expect(capped.validationErrors().isEmpty)
        let uncapped = try BaselineBuilder().profile(column)
        #expect(uncapped.categories == ["a", "b", "c", "d", "e", "f"])
        #expect(uncapped.counts == [3, 3, 2, 1, 1, 1, 0])
    }

    @Test("the default cap keeps 1,000 categories")
    func defaultCap() throws {
        let column = DataColumn(name: "user", values: (0..<1_500).map { .string("u\($0)") })
        let profile = try BaselineBuilder().profile(column)
        #expect(profile.categories?.count == 1_000)
        #expect(profile.counts.last == 500)
        #expect(profile.presentCount == 1_500)
    }

    @Test("a constant column is categorical with one category")
    func constant() throws {
        let profile = try BaselineBuilder().profile(
            DataColumn(name: "c", values: Array(repeating: .number(4), count: 40)))
        #expect(profile.type == .categorical)
        #expect(profile.categories == ["4"])
        #expect(profile.counts == [40, 0])
    }

    @Test("an all-missing column is categorical with no categories")
    func allMissing() throws {
        let profile = try BaselineBuilder().profile(DataColumn(name: "e", values: [.missing, .missing]))
        #expect(profile.type == .categorical)
        #expect(profile.categories == [])
        #expect(profile.counts == [0])
        #expect(profile.missingCount == 2)
        #expect(profile.validationErrors().isEmpty)
    }

    @Test("canonical labels of numbers and booleans")
    func labels() {
        #expect(CategoryLabel.number(3) == "3")
        #expect(CategoryLabel.number(-0.0) == "0")
        #expect(CategoryLabel.number(-12) == "-12")
        #expect(CategoryLabel.number(0.5) == "0.5")
        #expect(CategoryLabel.number(9_007_199_254_740_991) == "9007199254740991")
        #expect(CategoryLabel.number(1e300) == "1e+300")
        #expect(CategoryLabel.bool(true) == "true")
        #expect(DataValue.number(.nan).categoryLabel == nil)
        #expect(DataValue.missing.categoryLabel == nil)
        #expect(DataValue.string("x").categoryLabel == "x")
    }
}
