/// A model's accuracy over the last `windowEvents` scored labels, and the alert decision.
///
/// A count window in panes: scored labels go to the open pane; when it holds
/// `rule.paneEvents` labels it closes, joins the window and pushes out the oldest pane (the
/// window keeps running sums, so a slide is O(1)), and the window is evaluated:
///
/// - fewer than `minSamples` labels in the window, or no `minAccuracy`: no verdict;
/// - accuracy below `minAccuracy` and the one-sided exact binomial test of
///   "accuracy >= minAccuracy" gives p < `alpha`: **drifted** (counts towards firing);
/// - accuracy below `effectiveResolveAccuracy` otherwise: **hold** (a firing alert stays firing);
/// - else **clear** (counts towards resolving).
///
/// The verdicts drive an `AlertStateMachine` (`for`, cooldown) on the label event time.
public struct AccuracyTracker: Sendable {
    /// Persistable state.
    public struct State: Sendable, Codable, Equatable {
        /// Closed panes, oldest first.
        public var closed: [AccuracyPane]
        /// The open pane.
        public var open: AccuracyPane
        /// The alert series.
        public var alert: AlertStateMachine

        /// Creates a state.
        /// - Parameters:
        ///   - closed: Closed panes, oldest first.
        ///   - open: Open pane.
        ///   - alert: Alert state.
        public init(closed: [AccuracyPane], open: AccuracyPane, alert: AlertStateMachine) {
            self.closed = closed
            self.open = open
            self.alert = alert
        }
    }

    /// The rule.
    public let rule: AccuracyRule
    /// Closed panes as a ring of at most `rule.panes`; `oldest` is the first.
    private var closed: [AccuracyPane] = []
    private var oldest = 0
    private var open = AccuracyPane()
    private var windowCorrect = 0
    private var windowLabelled = 0
    /// The accuracy alert series.
    public private(set) var alert = AlertStateMachine()

    /// An empty tracker.
    /// - Parameter rule: Window and alert settings.
    public init(rule: AccuracyRule) {
        self.rule = rule
    }

    /// Scored labels in the window (closed panes).
    public var labelled: Int { windowLabelled }
    /// Correct predictions in the window.
    public var correct: Int { windowCorrect }
    /// Scored labels in the open pane, not yet in the window.
    public var pendingLabels: Int { open.labelled }
    /// The window's accuracy, nil while it is empty.
    public var accuracy: Double? { windowLabelled > 0 ? Double(windowCorrect) / Double(windowLabelled) : nil }

    /// Counts one scored label; returns the evaluation when its pane closed.
    /// - Parameters:
    ///   - correct: Whether the prediction was right.
    ///   - millis: The label's event time.
    /// - Returns: The window evaluation, when a pane closed.
    public mutating func record(correct: Bool, millis: Int64) -> AccuracyEvaluation? {
        open.add(correct: correct, millis: millis)
        guard open.labelled >= rule.paneEvents else { return nil }
        close()
        return evaluate()
    }

    private mutating func close() {
        let panes = max(1, rule.panes)
        if closed.count < panes {
            closed.append(open)
        } else {
            windowCorrect -= closed[oldest].correct
            windowLabelled -= closed[oldest].labelled
            closed[oldest] = open
            oldest = (oldest + 1) % panes
        }
        windowCorrect += open.correct
        windowLabelled += open.labelled
        open = AccuracyPane()
    }

    private mutating func evaluate() -> AccuracyEvaluation {
        let n = windowLabelled, k = windowCorrect
        let accuracy = n > 0 ? Double(k) / Double(n) : 0
        var pValue: Double?
        let verdict: AlertVerdict
        if let minAccuracy = rule.minAccuracy, let resolveAt = rule.effectiveResolveAccuracy, n >= rule.minSamples {
            let p = BinomialTest.lowerTail(successes: k, trials: n, probability: minAccuracy)
            pValue = p
            if accuracy < minAccuracy && p < rule.alpha {
                verdict = .drifted
            } else {
                verdict = accuracy < resolveAt ? .hold : .clear
            }
        } else {
            verdict = .noData
        }
        var start = Int64.max, end = Int64.min
        for pane in closed {
            start = min(start, pane.minMillis)
            end = max(end, pane.maxMillis)
        }
        let transition = alert.observe(verdict, rule: rule.alertRule, nowMillis: end)
        return AccuracyEvaluation(
            accuracy: accuracy, correct: k, labelled: n, pValue: pValue, verdict: verdict, firing: alert.isFiring,
            transition: transition, firedAtMillis: alert.firedAtMillis, startMillis: start, endMillis: end)
    }

    // MARK: - Persistence

    /// The state to persist.
    public var state: State {
        State(closed: Array(closed[oldest...] + closed[..<oldest]), open: open, alert: alert)
    }

    /// A tracker resumed from a saved state; panes beyond `rule.panes` (the oldest) are dropped.
    /// Counts that are negative, inconsistent or larger than the rule's pane size (a state
    /// saved under another window setting) make the state unusable: nil.
    /// - Parameters:
    ///   - rule: Window and alert settings.
    ///   - state: Saved state.
    public init?(rule: AccuracyRule, state: State) {
        self.init(rule: rule)
        for pane in [state.open] + state.closed {
            guard pane.labelled >= 0, pane.correct >= 0, pane.correct <= pane.labelled,
                  pane.labelled <= rule.paneEvents else { return nil }
        }
        guard state.open.labelled < rule.paneEvents else { return nil }
        for pane in state.closed.suffix(max(1, rule.panes)) {
            closed.append(pane)
            windowCorrect += pane.correct
            windowLabelled += pane.labelled
        }
        open = state.open
        alert = state.alert
    }
}
