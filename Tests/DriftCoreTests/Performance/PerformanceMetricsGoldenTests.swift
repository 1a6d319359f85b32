import DriftCore
import Foundation
import Testing

@Suite("Performance metrics against scikit-learn goldens")
struct PerformanceMetricsGoldenTests {
    @Test("every metric of every case agrees with scikit-learn to 1e-9; undefined ones are absent")
    func metricsMatchScikitLearn() throws {
        let cases = try PerformanceFixtures.list("metrics", "cases")
        #expect(cases.count >= 10)
        var compared = 0
        var tasks = Set<PerformanceTask>()
        for c in cases {
            let name = c["name"] as? String ?? "?"
            let task = try #require(PerformanceTask(rawValue: c["task"] as? String ?? ""), "\(name)")
            tasks.insert(task)
            let metrics = PerformanceMetrics(
                task: task, predictions: StatisticsFixtures.doubles(c["predictions"]),
                labels: StatisticsFixtures.doubles(c["labels"]),
                positiveThreshold: try #require(StatisticsFixtures.double(c["threshold"])),
                calibrationBins: try #require(c["calibration_bins"] as? Int))
            let expected = try #require(c["values"] as? [String: Any])
            // The fixture names exactly the metrics of the task.
            #expect(Set(expected.keys) == Set(PerformanceMetric.metrics(of: task).map(\.rawValue)), "\(name)")
            for (key, value) in expected {
                let metric = try #require(PerformanceMetric(rawValue: key), "\(name).\(key)")
                if let golden = StatisticsFixtures.double(value) {
                    let actual = try #require(metrics[metric], "\(name).\(key) missing")
                    #expect(PerformanceFixtures.agrees(actual, golden), "\(name).\(key): \(actual) vs \(golden)")
                    compared += 1
                } else {
                    #expect(metrics[metric] == nil, "\(name).\(key) should be undefined")
                }
            }
            if let confusion = c["confusion"] as? [String: Int] {
                let b = try #require(metrics.confusion).binary
                #expect(
                    [b.tp, b.fp, b.tn, b.fn]
                        == [confusion["tp"], confusion["fp"], confusion["tn"], confusion["fn"]].map { $0 ?? -1 },
                    "\(name)")
            }
            if let classes = c["classes"] as? [Int], let matrix = c["matrix"] as? [[Int]] {
                let m = try #require(metrics.confusion)
                #expect(m.classes.map(Int.init) == classes, "\(name)")
                #expect(m.counts == matrix, "\(name)")
            }
        }
        #expect(tasks == Set(PerformanceTask.allCases))
        #expect(compared >= 90)
    }

    @Test("the Student t distribution, its quantiles and the incomplete beta function agree with scipy")
    func studentTMatchesScipy() throws {
        for c in try PerformanceFixtures.list("intervals", "t_cdf") {
            let t = try #require(StatisticsFixtures.double(c["t"]))
            let df = try #require(StatisticsFixtures.double(c["df"]))
            let expected = try #require(StatisticsFixtures.double(c["cdf"]))
            let actual = StudentT.cdf(t, degreesOfFreedom: df)
            #expect(close(actual, expected, rel: 1e-9, abs: 1e-15), "t=\(t) df=\(df): \(actual) vs \(expected)")
        }
        for c in try PerformanceFixtures.list("intervals", "t_quantile") {
            let p = try #require(StatisticsFixtures.double(c["p"]))
            let df = try #require(StatisticsFixtures.double(c["df"]))
            let expected = try #require(StatisticsFixtures.double(c["quantile"]))
            let actual = StudentT.quantile(p, degreesOfFreedom: df)
            #expect(close(actual, expected, rel: 1e-9, abs: 1e-12), "p=\(p) df=\(df): \(actual) vs \(expected)")
        }
        for c in try PerformanceFixtures.list("intervals", "beta") {
            let x = try #require(StatisticsFixtures.double(c["x"]))
            let a = try #require(StatisticsFixtures.double(c["a"]))
            let b = try #require(StatisticsFixtures.double(c["b"]))
            let expected = try #require(StatisticsFixtures.double(c["value"]))
            let actual = StudentT.regularizedBeta(x, a, b)
            #expect(close(actual, expected, rel: 1e-9, abs: 1e-15), "I_\(x)(\(a), \(b)): \(actual) vs \(expected)")
        }
    }

    @Test("Clopper-Pearson bounds agree with scipy's beta quantiles")
    func clopperPearsonMatchesScipy() throws {
        let cases = try PerformanceFixtures.list("intervals", "clopper_pearson")
        #expect(cases.count >= 10)
        for c in cases {
            let k = try #require(c["k"] as? Int)
            let n = try #require(c["n"] as? Int)
            let alpha = try #require(StatisticsFixtures.double(c["alpha"]))
            let interval = MetricInterval.clopperPearson(successes: k, trials: n, alpha: alpha)
            let lower = try #require(StatisticsFixtures.double(c["lower"]))
            let upper = try #require(StatisticsFixtures.double(c["upper"]))
            #expect(
                abs(interval.lower - lower) <= 1e-9, "\(k)/\(n) alpha \(alpha): lower \(interval.lower) vs \(lower)")
            #expect(
                abs(interval.upper - upper) <= 1e-9, "\(k)/\(n) alpha \(alpha): upper \(interval.upper) vs \(upper)")
            #expect(interval.method == .clopperPearson)
            #expect(abs(interval.confidence - (1 - 2 * alpha)) < 1e-15)
        }
    }
}
