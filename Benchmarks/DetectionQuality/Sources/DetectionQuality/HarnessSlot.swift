/// A harness boxed for the parallel stationary run: each concurrent iteration owns exactly one
/// slot and no two iterations touch the same slot, which is what makes the unchecked
/// `Sendable` conformance sound.
final class HarnessSlot: @unchecked Sendable {
    /// The boxed harness.
    var harness: DetectorHarness

    init(_ harness: DetectorHarness) { self.harness = harness }
}
