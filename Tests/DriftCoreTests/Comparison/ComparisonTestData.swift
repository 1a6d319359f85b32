import DriftCore

/// Generated tabular data for batch comparison tests: numeric, categorical and binary columns
/// drawn from seeded distributions, and the baseline built from a training draw.
enum ComparisonTestData {
    /// How one draw differs from the training distribution.
    struct Shift {
        /// Added to `income` in standard deviations (income is normal, mean 50, sd 10).
        var incomeSD = 0.0
        /// Share of `plan` values replaced by the category `"platinum"`, unseen in training.
        var unseenPlanShare = 0.0
        /// Share of `age` values made missing.
        var missingAgeShare = 0.0
        /// Probability of `churned == true` (training: 0.2).
        var churnRate = 0.2
    }

    /// Columns `income` (numeric normal), `age` (numeric uniform 18-80), `plan` (4 categories),
    /// `churned` (boolean) and `score` (numeric, the model output).
    static func columns(rows: Int, seed: UInt64, shift: Shift = Shift()) -> [DataColumn] {
        var rng = SeededNormalGenerator(seed: seed)
        var income: [DataValue] = []
        var age: [DataValue] = []
        var plan: [DataValue] = []
        var churned: [DataValue] = []
        var score: [DataValue] = []
        let plans = ["basic", "plus", "pro", "team"]
        let planWeights = [0.4, 0.3, 0.2, 0.1]
        for _ in 0..<rows {
            income.append(.number(rng.normal(mean: 50 + shift.incomeSD * 10, std: 10)))
            if rng.uniform() < shift.missingAgeShare {
                age.append(.missing)
            } else {
                age.append(.number((18 + 62 * rng.uniform()).rounded()))
            }
            if rng.uniform() < shift.unseenPlanShare {
                plan.append(.string("platinum"))
            } else {
                let u = rng.uniform()
                var cumulative = 0.0
                var chosen = plans[plans.count - 1]
                for (p, w) in zip(plans, planWeights) {
                    cumulative += w
                    if u < cumulative {
                        chosen = p
                        break
                    }
                }
                plan.append(.string(chosen))
            }
            churned.append(.bool(rng.uniform() < shift.churnRate))
            score.append(.number(rng.uniform()))
        }
        return [
            DataColumn(name: "income", values: income), DataColumn(name: "age", values: age),
            DataColumn(name: "plan", values: plan), DataColumn(name: "churned", values: churned),
            DataColumn(name: "score", values: score)
        ]
    }

    /// The baseline of a 20,000-row training draw (seed 1); `score` is the prediction.
    static func baseline(rows: Int = 20_000, predictionColumn: String? = "score") throws -> Baseline {
        try BaselineBuilder().build(
            model: "churn", version: "1", columns: columns(rows: rows, seed: 1), predictionColumn: predictionColumn)
    }

    /// Replaces (or drops, when `values` is nil) the column named `name`.
    static func replacing(_ name: String, in columns: [DataColumn], with values: [DataValue]?) -> [DataColumn] {
        columns.compactMap { column in
            guard column.name == name else { return column }
            return values.map { DataColumn(name: name, values: $0) }
        }
    }
}
