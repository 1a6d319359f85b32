/// Draws a synthetic stream event by event: stationary before `changeIndex`, then as the
/// scenario says. Deterministic for a seed.
///
/// Every event consumes the same six uniforms whatever the scenario (two for the normal, one
/// each for the missing flag, `y`, `c` and `f`), so two scenarios with the same seed share
/// their stationary prefix exactly and differ only where their distributions differ.
struct StreamGenerator {
    /// The change, or `nil` for a stationary stream.
    let scenario: Scenario?
    /// Index of the first event drawn from the changed distribution.
    let changeIndex: Int
    private var random: RandomSource
    /// Index of the next event to draw.
    private(set) var nextIndex = 0

    init(scenario: Scenario?, changeIndex: Int, seed: UInt64) {
        self.scenario = scenario
        self.changeIndex = changeIndex
        self.random = RandomSource(seed: seed)
    }

    /// Draws the next `count` events.
    mutating func next(_ count: Int) -> SyntheticEvents {
        var events = SyntheticEvents(capacity: count)
        var distributions = FeatureDistributions.stationary
        for _ in 0..<count {
            if let scenario, nextIndex >= changeIndex {
                distributions = scenario.distributions(eventsSinceChange: nextIndex - changeIndex)
            }
            let z = random.normal()
            let missing = random.unit() < distributions.xMissingShare
            events.x.append(missing ? .nan : distributions.xMean + distributions.xStd * z)
            events.y.append(random.exponential())
            events.category.append(random.pick(distributions.categoryShares))
            events.binary.append(random.unit() < distributions.yesShare ? 1 : 0)
            nextIndex += 1
        }
        return events
    }
}
