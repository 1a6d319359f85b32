import Foundation

/// What a `FeatureEvaluation`'s reason says, kept as numbers and rendered to text only when read.
///
/// The daemon evaluates every column at every pane close, but reads a reason only when it
/// publishes an alert (or `driftd compare` prints one): formatting the text there, instead of in
/// every evaluation, keeps `String(format:)` off the ingest path. Two explanations are equal
/// when their texts are.
public struct EvaluationExplanation: Sendable, Equatable, CustomStringConvertible {
    /// A finding of the distribution test: the method's score against its threshold.
    struct MethodOutcome: Sendable {
        var method: String
        var score: Double
        var threshold: Double
        var pValue: Double
        /// Score at or above the threshold and significant: a finding, else a note.
        var drifted: Bool
    }

    /// A share that moved significantly: missing (either way), or new values (a rise).
    struct ShareChange: Sendable {
        var from: Double
        var to: Double
        var pValue: Double
    }

    enum Content: Sendable {
        /// Already text (rare paths: unusable input, empty baseline, too few events).
        case text(String)
        /// The verdict's parts, in the order the text names them.
        case verdict(Verdict)
    }

    struct Verdict: Sendable {
        var type: FeatureType
        var drifted: Bool
        var ok: Bool
        /// The rule's method (numeric-only) replaced by the automatic one on a categorical feature.
        var substitution: (requested: String, used: String)?
        /// The automatic method switched to `ks` below this effective sample size.
        var smallSampleLimit: Double?
        var missingChange: ShareChange?
        /// Share of values in unseen categories / outside the training range that rose.
        var newValueRise: ShareChange?
        var method: MethodOutcome?
        /// Present values when fewer than `minSamples` (no distribution test).
        var tooFewPresent: Double?
        var minSamples: Int
        /// The method's score is below its threshold but its p-value is below the strict level
        /// (`FeatureEvaluator.smallShiftLevel(alpha:)`): a small but certain shift.
        var smallShift: Bool = false
    }

    var content: Content

    /// An explanation that is already text.
    public init(_ text: String) { content = .text(text) }

    init(_ verdict: Verdict) { content = .verdict(verdict) }

    /// The text.
    public var description: String {
        switch content {
        case .text(let text): return text
        case .verdict(let v): return Self.render(v)
        }
    }

    public static func == (a: EvaluationExplanation, b: EvaluationExplanation) -> Bool {
        a.description == b.description
    }

    private static func render(_ v: Verdict) -> String {
        var findings: [String] = []
        var notes: [String] = []
        if let (requested, used) = v.substitution { notes.append("\(requested) needs a numeric feature, used \(used)") }
        if let limit = v.smallSampleLimit { notes.append(smallSampleNote(limit: limit)) }
        if let rise = v.missingChange {
            findings.append(missingShareText(from: rise.from, to: rise.to, pValue: rise.pValue))
        }
        if let rise = v.newValueRise {
            let what = v.type == .categorical ? "in categories unseen in training" : "outside the training range"
            findings.append(
                "\(percent(rise.to)) of values are \(what) (baseline \(percent(rise.from)), p=\(pString(rise.pValue)))")
        }
        if let m = v.method {
            if m.drifted {
                findings.insert(
                    "\(m.method) \(format(m.score)) >= \(format(m.threshold)) (p=\(pString(m.pValue)))", at: 0)
            } else {
                notes.insert(
                    "\(m.method) \(format(m.score)) vs threshold \(format(m.threshold)), p=\(pString(m.pValue))", at: 0)
            }
        }
        if let present = v.tooFewPresent {
            notes.insert(
                "\(format(present)) present values, fewer than the \(v.minSamples) needed to compare distributions",
                at: 0)
        }
        if !v.drifted {
            if v.ok && v.smallShift { return "small shift: " + notes.joined(separator: "; ") }
            return (v.ok ? "no drift: " : "") + notes.joined(separator: "; ")
        }
        return "drift: " + (findings + notes).joined(separator: "; ")
    }

    /// Why the automatic method is `ks` on a small sample.
    static func smallSampleNote(limit: Double) -> String {
        "ks chosen for a sample below n_eff \(format(limit.rounded())), where jensen_shannon is within its noise"
    }

    /// "missing share rose from 0.0% to 8.0% (p=…)", or "fell" when it went down.
    static func missingShareText(from: Double, to: Double, pValue: Double) -> String {
        "missing share \(to < from ? "fell" : "rose") from \(percent(from)) to \(percent(to)) (p=\(pString(pValue)))"
    }

    static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }

    static func format(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) }
        return String(format: "%.4g", x)
    }

    static func pString(_ p: Double) -> String { p < 1e-4 ? String(format: "%.1e", p) : String(format: "%.4f", p) }
}
