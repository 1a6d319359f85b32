import DriftCore
import Foundation

/// Seeded random variates for the synthetic streams: fixed by the seed on every platform
/// (DriftCore's `SplitMix64` underneath, Box-Muller for normals).
struct RandomSource {
    private var generator: SplitMix64

    /// A source whose sequence is fixed by `seed`.
    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { generator.nextUnitInterval() }

    /// Standard normal (Box-Muller; one normal per two uniforms, so the sequence is simple to reproduce).
    mutating func normal() -> Double {
        let u1 = 1 - unit()  // (0, 1]: log is finite
        let u2 = unit()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// Exponential with mean 1.
    mutating func exponential() -> Double { -Foundation.log(1 - unit()) }

    /// An index drawn with the given probabilities (which sum to 1; the last absorbs rounding).
    mutating func pick(_ probabilities: [Double]) -> Int {
        let u = unit()
        var cumulative = 0.0
        for (i, p) in probabilities.enumerated() {
            cumulative += p
            if u < cumulative { return i }
        }
        return probabilities.count - 1
    }

    /// Derives an independent seed for a named sub-stream (stream kind, scenario, run).
    static func seed(_ parts: UInt64...) -> UInt64 {
        var mixer = SplitMix64(seed: 0xD47E_C7ED_0000_0000)
        var state: UInt64 = 0
        for part in parts {
            mixer = SplitMix64(seed: state ^ part &+ mixer.next())
            state = mixer.next()
        }
        return state
    }
}
