import DriftCore
import Testing

@Suite("Page-Hinkley detector")
struct PageHinkleyDetectorTests {
    @Test func lambdaForTargetRunLengthInvertsTheApproximation() throws {
        for (delta, arl) in [(0.25, 10_000.0), (0.5, 1_000_000.0), (0.1, 50_000.0)] {
            let lambda = try PageHinkleyDetector.lambda(forDelta: delta, averageRunLength: arl)
            let back = PageHinkleyDetector.averageRunLength(delta: delta, lambda: lambda)
            #expect(abs(back - arl) / arl < 1e-9)
        }
    }

    @Test func empiricalRunLengthMatchesTargetAndShiftIsCaught() throws {
        let target = 2_000.0
        let lambda = try PageHinkleyDetector.lambda(forDelta: 0.25, averageRunLength: target)
        var detector = try PageHinkleyDetector(mean: 10, std: 2, delta: 0.25, lambda: lambda)
        var rng = SeededNormalGenerator(seed: 21)
        var alarms = 0
        let n = 400_000
        for _ in 0..<n where detector.update(rng.normal(mean: 10, std: 2)) { alarms += 1 }
        let runLength = Double(n) / Double(max(alarms, 1))
        // Siegmund's approximation is good to ~10-20% for CUSUM on normal data.
        #expect(runLength > 0.7 * target && runLength < 1.4 * target, "empirical ARL0 \(runLength) vs target \(target)")

        // A 0.5 sd shift is detected quickly (expected delay ~ (lambda + 1.166) / (0.5 - 0.25)).
        var delays: [Int] = []
        for _ in 0..<50 {
            detector.reset()
            var t = 0
            while !detector.update(rng.normal(mean: 11, std: 2)) { t += 1 }
            delays.append(t)
        }
        let median = delays.sorted()[delays.count / 2]
        #expect(median < 60, "median delay \(median)")
    }

    @Test func badParametersThrow() {
        #expect(throws: StatisticsError.self) { try PageHinkleyDetector(mean: 0, std: 0, delta: 0.1, lambda: 5) }
        #expect(throws: StatisticsError.self) { try PageHinkleyDetector(mean: 0, std: 1, delta: -1, lambda: 5) }
        #expect(throws: StatisticsError.self) { try PageHinkleyDetector.lambda(forDelta: 0.5, averageRunLength: 1) }
    }

    @Test func missingValuesAreIgnored() throws {
        var detector = try PageHinkleyDetector(mean: 0, std: 1, delta: 0.1, lambda: 3)
        var alarms = 0
        for _ in 0..<100 where detector.update(.nan) { alarms += 1 }
        #expect(alarms == 0)
        #expect(detector.count == 0)
        let alarmed = detector.update(.infinity)
        #expect(alarmed)
    }
}
