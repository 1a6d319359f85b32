// The false-alert budget in user terms (docs/detection-quality.md, "In user terms"): the
// `ColumnDetector`s of a reference model — 30 numeric columns like `x` (N(0,1)), 10 categorical
// like `c` (a/b/c/d at 40/30/20/10 %), one window test each — at its run length for
// `FalseAlertBudget.default` at 1,000 events/s, used directly (no window, no Kafka) so that
// 10^9 column-events and 200 runs per change fit in minutes.
//
//   swift run -c release --package-path Benchmarks/DetectionQuality DetectionBudget delays
//       median delays of 200 seeded runs per change against Lorden's bound ln(gamma) / KL, with the
//       dependence estimated (settled on 10^6 events) and assumed absent; AR(1) rows
//   swift run -c release --package-path Benchmarks/DetectionQuality DetectionBudget stationary N [phi]
//       alarms over N stationary events on each of the 40 columns (AR(1) coefficient phi)
import DriftCore
import Foundation

struct R {
    var s: UInt64
    mutating func next() -> UInt64 {
        s &+= 0x9E3779B97F4A7C15
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    mutating func normal() -> Double {
        let u1 = 1 - unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * unit())
    }
}
func cpu() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

// Generators: x normal (with shift/scale/missing), c categorical with shares, AR(1) via phi on the latent normal.
struct Gen {
    var r: R
    var phi = 0.0
    var latent = 0.0
    mutating func z() -> Double {
        latent = phi * latent + (1 - phi * phi).squareRoot() * r.normal()
        return latent
    }
    mutating func numeric(shift: Double = 0, scale: Double = 1, missing: Double = 0) -> Double {
        let v = z()
        if missing > 0 && r.unit() < missing { return .nan }
        return v * scale + shift
    }
    mutating func category(_ shares: [Double], unseen: Double = 0, index: [Int]) -> Double {
        let u = SpecialFunctions.normalCDF(z())
        if unseen > 0 && r.unit() < unseen { return Double(index.count) }  // other bin
        var acc = 0.0
        for (j, s) in shares.enumerated() {
            acc += s
            if u < acc { return Double(index[j]) }
        }
        return Double(index[shares.count - 1])
    }
}

var br = R(s: 20251122)
var xs: [DataValue] = []
var cs: [DataValue] = []
var fs: [DataValue] = []
let catNames = ["a", "b", "c", "d"]
for _ in 0..<100_000 {
    xs.append(.number(br.normal()))
    let u = br.unit()
    cs.append(.string(u < 0.4 ? "a" : u < 0.7 ? "b" : u < 0.9 ? "c" : "d"))
    fs.append(.string(br.unit() < 0.2 ? "yes" : "no"))
}
let baseline = try BaselineBuilder().build(
    model: "m", version: "1",
    columns: [
        DataColumn(name: "x", values: xs), DataColumn(name: "c", values: cs), DataColumn(name: "f", values: fs)
    ])
let schema = try ModelSchema(baseline: baseline)
let cIndex = catNames.map { schema.features[1].categoryIndex[$0]! }
let fIndex = ["yes", "no"].map { schema.features[2].categoryIndex[$0]! }

let probeX = ColumnDetector(profile: baseline.features[0], runLength: 1e6)!
let probeC = ColumnDetector(profile: baseline.features[1], runLength: 1e6)!
let probeF = ColumnDetector(profile: baseline.features[2], runLength: 1e6)!
// The reference model: 30 numeric columns like x, 10 categorical like c; one window test each.
let shares = 30 * probeX.lanes.count + 10 * probeC.lanes.count + 40
let gamma = FalseAlertBudget.default.runLength(detectors: shares, eventsPerMillisecond: 1)
print(
    String(
        format: "lanes: numeric %d, categorical %d, binary %d; shares %d; run length per lane %.3e, ln = %.2f",
        probeX.lanes.count, probeC.lanes.count, probeF.lanes.count, shares, gamma, log(gamma)))

let args = CommandLine.arguments
let mode = args.count > 1 ? args[1] : "delays"

func warm(
    _ profile: FeatureProfile, events: Int, seed: UInt64, phi: Double, estimate: Bool, draw: (inout Gen) -> Double
) -> ColumnDetector {
    var d = ColumnDetector(profile: profile, runLength: gamma, estimatesDependence: estimate)!
    var g = Gen(r: R(s: seed), phi: phi)
    var values = [Double](repeating: 0, count: 10_000)
    let times = [Int64](repeating: 0, count: values.count)
    var done = 0
    var series = AlertStateMachine()
    while done < events {
        for i in values.indices { values[i] = draw(&g) }
        _ = d.scan(values[...], timestamps: times[...], alerts: &series, rule: AlertRule(cooldown: .zero))
        done += values.count
    }
    return d
}

func delays(
    _ base: ColumnDetector, runs: Int, seed: UInt64, phi: Double, pre: (inout Gen) -> Double,
    post: (inout Gen) -> Double
) -> (median: Double, detected: Int, kinds: [String: Int]) {
    var out: [Int] = []
    var kinds: [String: Int] = [:]
    for run in 0..<runs {
        var d = base
        var g = Gen(r: R(s: seed &+ UInt64(run) &* 7919), phi: phi)
        var series = AlertStateMachine()
        let rule = AlertRule(cooldown: .zero)
        // Randomise the sums' state: 0-4,999 more stationary events.
        let lead = Int(g.r.next() % 5_000)
        var values = [Double](repeating: 0, count: max(lead, 1))
        for i in 0..<lead { values[i] = pre(&g) }
        if lead > 0 {
            _ = d.scan(values[...], timestamps: [Int64](repeating: 0, count: lead)[...], alerts: &series, rule: rule)
        }
        series = AlertStateMachine()
        var found: Int?
        var t = 0
        let chunk = 50
        var buf = [Double](repeating: 0, count: chunk)
        let times = [Int64](repeating: 1, count: chunk)
        while found == nil && t < 50_000 {
            for i in 0..<chunk { buf[i] = post(&g) }
            let alarms = d.scan(buf[...], timestamps: times[...], alerts: &series, rule: rule)
            if let a = alarms.first {
                found = t + a.row + 1
                kinds[a.name, default: 0] += 1
            }
            t += chunk
        }
        if let f = found { out.append(f) }
    }
    out.sort()
    let median =
        out.isEmpty
        ? .nan
        : (out.count % 2 == 1 ? Double(out[out.count / 2]) : Double(out[out.count / 2 - 1] + out[out.count / 2]) / 2)
    return (median, out.count, kinds)
}

if mode == "delays" {
    let runs = 200
    let lnG = log(gamma)
    let xProfile = baseline.features[0]
    let cProfile = baseline.features[1]
    let fProfile = baseline.features[2]
    let base = [0.4, 0.3, 0.2, 0.1]
    for estimate in [true, false] {
        print(estimate ? "== dependence estimated (settled after 10^6 events)" : "== dependence assumed absent (D = 1)")
        let wx = warm(xProfile, events: 1_000_000, seed: 1, phi: 0, estimate: estimate) { $0.numeric() }
        let wc = warm(cProfile, events: 1_000_000, seed: 2, phi: 0, estimate: estimate) {
            $0.category(base, index: cIndex)
        }
        let wf = warm(fProfile, events: 1_000_000, seed: 3, phi: 0, estimate: estimate) {
            $0.category([0.2, 0.8], index: fIndex)
        }
        let dx = wx.dependenceInUse
        print(
            "   numeric thresholds", wx.thresholds.map { String(format: "%.1f", $0) }.joined(separator: " "), "D",
            dx.map { String(format: "%.3f", $0) }.joined(separator: " "))
        func row(_ name: String, _ kl: Double?, _ r: (median: Double, detected: Int, kinds: [String: Int])) {
            let bound = kl.map { lnG / $0 }
            let top = r.kinds.max { $0.value < $1.value }?.key ?? "-"
            print(
                String(
                    format: "   %-44@ median %7.0f  (%d/%d)  bound %@  ratio %@  lane %@", name as NSString, r.median,
                    r.detected, runs,
                    bound.map { String(format: "%6.0f", $0) } ?? "     -",
                    bound.map { String(format: "%.2f", r.median / $0) } ?? "-", top))
        }
        for shift in [0.25, 0.5, 1.0] {
            row(
                "mean +\(shift) sd", shift * shift / 2,
                delays(wx, runs: runs, seed: 11, phi: 0, pre: { $0.numeric() }, post: { $0.numeric(shift: shift) }))
        }
        row(
            "scale x1.5", (2.25 - 1 - log(2.25)) / 2,
            delays(wx, runs: runs, seed: 12, phi: 0, pre: { $0.numeric() }, post: { $0.numeric(scale: 1.5) }))
        row(
            "scale x1/1.5", (1 / 2.25 - 1 - log(1 / 2.25)) / 2,
            delays(wx, runs: runs, seed: 13, phi: 0, pre: { $0.numeric() }, post: { $0.numeric(scale: 1 / 1.5) }))
        func kl(_ q: [Double], _ p: [Double]) -> Double {
            zip(q, p).reduce(0) { $0 + ($1.0 > 0 ? $1.0 * log($1.0 / $1.1) : 0) }
        }
        let mix1 = [0.3, 0.3, 0.2, 0.2]
        let mix2 = [0.2, 0.3, 0.2, 0.3]
        row(
            "category mix 40/30/20/10 -> 30/30/20/20", kl(mix1, base),
            delays(
                wc, runs: runs, seed: 14, phi: 0, pre: { $0.category(base, index: cIndex) },
                post: { $0.category(mix1, index: cIndex) }))
        row(
            "category mix 40/30/20/10 -> 20/30/20/30", kl(mix2, base),
            delays(
                wc, runs: runs, seed: 15, phi: 0, pre: { $0.category(base, index: cIndex) },
                post: { $0.category(mix2, index: cIndex) }))
        row(
            "binary share 20% -> 30%", kl([0.3, 0.7], [0.2, 0.8]),
            delays(
                wf, runs: runs, seed: 16, phi: 0, pre: { $0.category([0.2, 0.8], index: fIndex) },
                post: { $0.category([0.3, 0.7], index: fIndex) }))
        let pm = wx.cells.missingProbability
        row(
            "missing 0 -> 20% (baseline share \(String(format: "%.1e", pm)))",
            0.2 * log(0.2 / pm) + 0.8 * log(0.8 / (1 - pm)),
            delays(wx, runs: runs, seed: 17, phi: 0, pre: { $0.numeric() }, post: { $0.numeric(missing: 0.2) }))
        let pu = wc.cells.presentProbabilities[wc.cells.unseenCell]
        row(
            "new category at 10% (baseline share \(String(format: "%.1e", pu)))",
            0.1 * log(0.1 / pu) + 0.9 * log(0.9 / (1 - pu)),
            delays(
                wc, runs: runs, seed: 18, phi: 0, pre: { $0.category(base, index: cIndex) },
                post: { $0.category(base, unseen: 0.1, index: cIndex) }))
    }
    // Correlated rows: AR(1) and the 0.5 sd shift; the bound uses the AR(1) information rate delta^2 (1 - phi) / (2 (1 + phi)).
    for phi in [0.3, 0.5, 0.7] {
        let wx = warm(baseline.features[0], events: 1_000_000, seed: 21, phi: phi, estimate: true) { $0.numeric() }
        let r = delays(wx, runs: runs, seed: 22, phi: phi, pre: { $0.numeric() }, post: { $0.numeric(shift: 0.5) })
        let info = 0.25 * (1 - phi) / (2 * (1 + phi))
        print(
            String(
                format: "   AR(1) phi %.1f, mean +0.5 sd: median %.0f (%d/%d), bound %.0f, ratio %.2f, D in use %.2f",
                phi, r.median, r.detected, runs, lnG / info, r.median / (lnG / info), wx.dependenceInUse[0]))
    }
} else if mode == "stationary" {
    // 40 columns (30 numeric: 15 normal, 15 exponential-through-normal-scores is the same after the
    // transform, so all normal here; 10 categorical), independent and AR(1) 0.5, default budget.
    let events = Int(args[2])!
    let phi = args.count > 3 ? Double(args[3])! : 0
    var alarms = 0
    var seconds = 0.0
    var columnEvents = 0
    for col in 0..<40 {
        let numeric = col < 30
        var d = ColumnDetector(profile: baseline.features[numeric ? 0 : 1], runLength: gamma)!
        var g = Gen(r: R(s: 1000 + UInt64(col)), phi: phi)
        var values = [Double](repeating: 0, count: 10_000)
        let times = [Int64](repeating: 0, count: values.count)
        var series = AlertStateMachine()
        var done = 0
        while done < events {
            for i in values.indices {
                values[i] = numeric ? g.numeric() : g.category([0.4, 0.3, 0.2, 0.1], index: cIndex)
            }
            let t0 = cpu()
            alarms +=
                d.scan(values[...], timestamps: times[...], alerts: &series, rule: AlertRule(cooldown: .zero)).count
            seconds += cpu() - t0
            done += values.count
        }
        columnEvents += done
    }
    let allowed = Double(columnEvents) / 40 / (30 * 86_400_000.0)
    print(
        String(
            format:
                "stationary phi %.1f: %d alarms in %.3e column-events (%.3e model-events at 40 columns = %.2f days at 1000 ev/s; budget allows %.4f); %.1f ns per column-value",
            phi, alarms, Double(columnEvents), Double(columnEvents) / 40, Double(columnEvents) / 40 / 86_400_000,
            allowed, seconds / Double(columnEvents) * 1e9))
}
