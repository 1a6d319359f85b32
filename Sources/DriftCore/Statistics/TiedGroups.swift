/// Two samples summarised as counts per distinct value ("group"), in ascending value order.
///
/// Raw samples become one group per distinct value (sort + merge); histograms are already in
/// this form with one group per bin, which makes the binned KS, Cramér-von Mises and
/// Anderson-Darling statistics exactly the tie-corrected statistics of the bin-index data.
struct TiedGroups {
    /// Count of the first sample (the baseline) in each group.
    var first: [Double]
    /// Count of the second sample (the window) in each group.
    var second: [Double]
    /// Distinct values, ascending; empty when built from bins (values are not needed there).
    var values: [Double]
    /// Total of `first`.
    let firstTotal: Double
    /// Total of `second`.
    let secondTotal: Double

    /// Groups from two histograms over the same bins; empty bins (on both sides) are dropped.
    init(binnedFirst: [Double], second binnedSecond: [Double]) {
        var a: [Double] = []
        var b: [Double] = []
        a.reserveCapacity(binnedFirst.count)
        b.reserveCapacity(binnedFirst.count)
        for i in binnedFirst.indices where binnedFirst[i] + binnedSecond[i] > 0 {
            a.append(binnedFirst[i])
            b.append(binnedSecond[i])
        }
        first = a
        second = b
        values = []
        firstTotal = a.reduce(0, +)
        secondTotal = b.reduce(0, +)
    }

    /// Groups from two raw samples, already sorted ascending (merge, O(n + m)).
    init(sortedFirst x: [Double], sortedSecond y: [Double]) {
        var a: [Double] = []
        var b: [Double] = []
        var v: [Double] = []
        a.reserveCapacity(x.count + y.count)
        b.reserveCapacity(x.count + y.count)
        v.reserveCapacity(x.count + y.count)
        var i = 0
        var j = 0
        while i < x.count || j < y.count {
            let next: Double
            if j >= y.count || (i < x.count && x[i] <= y[j]) { next = x[i] } else { next = y[j] }
            var ca = 0
            var cb = 0
            while i < x.count && x[i] == next {
                ca += 1
                i += 1
            }
            while j < y.count && y[j] == next {
                cb += 1
                j += 1
            }
            v.append(next)
            a.append(Double(ca))
            b.append(Double(cb))
        }
        first = a
        second = b
        values = v
        firstTotal = Double(x.count)
        secondTotal = Double(y.count)
    }

    /// Number of groups.
    var count: Int { first.count }

    // MARK: - Kolmogorov-Smirnov

    /// `max |F1 - F2|` over the group boundaries (ECDFs after each group, ties together).
    func kolmogorovSmirnovStatistic() -> Double {
        guard firstTotal > 0, secondTotal > 0 else { return 0 }
        var cumA = 0.0
        var cumB = 0.0
        var maxPlus = 0.0
        var maxMinus = 0.0
        for g in 0..<count {
            cumA += first[g]
            cumB += second[g]
            let diff = cumA / firstTotal - cumB / secondTotal
            if diff > maxPlus { maxPlus = diff }
            if -diff > maxMinus { maxMinus = -diff }
        }
        return min(1, max(maxPlus, maxMinus))
    }

    // MARK: - Cramér-von Mises

    /// The rank statistic `U` of Anderson (1962) with midranks for ties, as scipy computes it.
    func cramerVonMisesU() -> Double {
        var before = 0.0
        var beforeA = 0.0
        var beforeB = 0.0
        var sumA = 0.0
        var sumB = 0.0
        for g in 0..<count {
            let l = first[g] + second[g]
            let midrank = before + (l + 1) / 2
            sumA += Self.sumOfSquaredOffsets(center: midrank - beforeA, count: first[g])
            sumB += Self.sumOfSquaredOffsets(center: midrank - beforeB, count: second[g])
            before += l
            beforeA += first[g]
            beforeB += second[g]
        }
        return firstTotal * sumA + secondTotal * sumB
    }

    /// `T = U / (n m N) - (4 n m - 1) / (6 N)`.
    func cramerVonMisesStatistic() -> Double {
        let k = firstTotal * secondTotal
        let total = firstTotal + secondTotal
        guard k > 0 else { return 0 }
        return cramerVonMisesU() / (k * total) - (4 * k - 1) / (6 * total)
    }

    /// Tie-aware form `T = n m / N² Σ_groups l_g (F1_g - F2_g)²` with the ECDFs after each group
    /// (`∫ (F1 - F2)² dH_N`, Anderson 1962). Equals `cramerVonMisesStatistic()` when there are no
    /// ties; with ties it stays 0 for identical samples, where the midrank formula does not.
    func cramerVonMisesECDFStatistic() -> Double {
        let total = firstTotal + secondTotal
        guard firstTotal > 0, secondTotal > 0 else { return 0 }
        var cumA = 0.0
        var cumB = 0.0
        var sum = 0.0
        for g in 0..<count {
            cumA += first[g]
            cumB += second[g]
            let d = cumA / firstTotal - cumB / secondTotal
            sum += (first[g] + second[g]) * d * d
        }
        return firstTotal * secondTotal / (total * total) * sum
    }

    /// `sum_{t=1..f} (c - t)^2` in closed form.
    private static func sumOfSquaredOffsets(center c: Double, count f: Double) -> Double {
        guard f > 0 else { return 0 }
        return f * c * c - c * f * (f + 1) + f * (f + 1) * (2 * f + 1) / 6
    }

    // MARK: - Anderson-Darling

    /// `A2akN` of Scholz & Stephens (1987), equation 7 (midranks, for ties), k = 2.
    ///
    /// Groups whose variance term vanishes (all observations tied in one group) contribute 0,
    /// so constant data gives 0 instead of NaN.
    func andersonDarlingA2akN() -> Double {
        let total = firstTotal + secondTotal
        guard firstTotal > 0, secondTotal > 0 else { return 0 }
        var before = 0.0
        var cumA = 0.0
        var cumB = 0.0
        var sumA = 0.0
        var sumB = 0.0
        for g in 0..<count {
            let l = first[g] + second[g]
            let bj = before + l / 2
            cumA += first[g]
            cumB += second[g]
            let denominator = bj * (total - bj) - total * l / 4
            if denominator > 0 {
                let ma = cumA - first[g] / 2
                let mb = cumB - second[g] / 2
                let da = total * ma - bj * firstTotal
                let db = total * mb - bj * secondTotal
                sumA += l / total * da * da / denominator
                sumB += l / total * db * db / denominator
            }
            before += l
        }
        return (sumA / firstTotal + sumB / secondTotal) * (total - 1) / total
    }

    // MARK: - Wasserstein

    /// `∫ |F1 - F2| dx` between the groups' values (raw samples only).
    func wassersteinDistance() -> Double {
        guard firstTotal > 0, secondTotal > 0, values.count >= 2 else { return 0 }
        var cumA = 0.0
        var cumB = 0.0
        var sum = 0.0
        for g in 0..<(count - 1) {
            cumA += first[g]
            cumB += second[g]
            sum += abs(cumA / firstTotal - cumB / secondTotal) * (values[g + 1] - values[g])
        }
        return sum
    }
}
