extension ModelMonitor {
    /// Scale-out evaluator: applies one merged pane (the partials of every input partition),
    /// in pane order. The pane's detector statistics run first (`PaneDetector`, one per column,
    /// held by the caller), then the pane joins the window and the window is evaluated; the
    /// outputs are in that order. A window alert that fires or resolves restarts the column's
    /// pane detector, as it restarts the per-event detector on the single path.
    /// - Parameters:
    ///   - pane: the merged pane.
    ///   - detectors: one pane detector per column (features, then the prediction), `nil` where none.
    public mutating func ingestMerged(_ pane: MergedPane, detectors: inout [PaneDetector?]) -> [MonitorOutput] {
        guard pane.events > 0 else { return [] }
        if eventRate.observe(count: pane.events, minMillis: pane.minEventMillis, maxMillis: pane.maxEventMillis) {
            applyBudget()
        }
        var outputs: [MonitorOutput] = []
        for c in detectors.indices where c < rules.count && c < pane.cells.count {
            guard var detector = detectors[c], rules[c].enabled, rules[c].sequential else { continue }
            let runLength =
                rules[c].sequentialRunLength.map { $0 * Double(sequentialDetectors[c]?.lanes.count ?? 1) }
                ?? laneRunLength
            var series = alerts[c]
            let alarm = detector.observe(
                cells: pane.cells[c], startMillis: pane.minEventMillis, endMillis: pane.maxEventMillis,
                runLength: runLength, firing: series.isFiring, alerts: &series, rule: rules[c])
            alerts[c] = series
            detectors[c] = detector
            if let alarm, alarm.outcome == .fired {
                outputs.append(.alert(sequentialAlertPayload(column: c, alarm: alarm)))
            }
        }
        guard let snapshot = window.addClosedPane(pane.pane) else { return outputs }
        let before = alerts.map(\.isFiring)
        let evaluated = evaluate(snapshot)
        for c in detectors.indices where c < alerts.count && alerts[c].isFiring != before[c] { detectors[c]?.restart() }
        return outputs + evaluated
    }
}
