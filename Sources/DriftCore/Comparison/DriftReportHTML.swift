import Foundation

/// Renders a `DriftReportPage` as one self-contained HTML document: inline CSS, inline SVG
/// charts and a little inline JavaScript (sorting), no external resource of any kind, so the
/// file opens offline, can be mailed, and prints.
///
/// The page: the header facts, the verdict banner with the drift-share meter, a table with one
/// row per feature (sortable by name, score, score relative to the threshold, p-value, missing
/// share, new-value share and status; `#sort=KEY[-asc|-desc]` in the URL applies a sort on
/// load), and one chart per feature: the baseline's and the current shares of present values on
/// the baseline's bins, the bins of new values (outside the training range, unseen categories)
/// shaded. Sorting the table reorders the charts the same way.
///
/// Hooks for tests and tools: every chart is an `svg.chart` with `data-feature`, every table row
/// a `tr.feature` with `data-feature`; the script sets `data-report-ready="1"` on `<html>` when
/// it has run and `data-script-errors` when a script error occurred.
public enum DriftReportHTML {
    /// Categorical charts show at most this many bins (the largest, plus "other").
    public static let maxChartBins = 40

    /// The HTML document.
    /// - Parameter page: What to show.
    /// - Returns: The document, starting with `<!DOCTYPE html>` and ending with a newline.
    public static func render(_ page: DriftReportPage) -> String {
        var out = ""
        out.reserveCapacity(16_384 + page.features.count * 6_000)
        head(title: page.title, refreshSeconds: page.refreshSeconds, into: &out)
        out += "<body>\n<header>\n"
        crumbs(page.breadcrumbs, into: &out)
        out += "<h1>\(esc(page.title))</h1>\n<dl class=\"facts\">"
        for fact in page.facts {
            out += "<div><dt>\(esc(fact.label))</dt><dd>\(esc(fact.value))</dd></div>"
        }
        out += "</dl>\n</header>\n<main>\n"
        verdict(page.verdict, into: &out)
        if !page.notes.isEmpty {
            out += "<ul class=\"page-notes\">"
            for note in page.notes { out += "<li>\(esc(note))</li>" }
            out += "</ul>\n"
        }
        table(page, into: &out)
        charts(page, into: &out)
        if let alerts = page.recentAlerts { recentAlerts(alerts, into: &out) }
        out += "</main>\n<footer>\(esc(page.footer))</footer>\n"
        out += "<script>\n\(sortScript)</script>\n</body>\n</html>\n"
        return out
    }

    /// One row of an index page (the live report's model list).
    public struct IndexRow: Sendable, Equatable {
        /// The link text (model).
        public var name: String
        /// The link target.
        public var href: String
        /// Whether the row is marked as drifted.
        public var drifted: Bool
        /// Cells after the name.
        public var cells: [String]

        /// Creates a row.
        public init(name: String, href: String, drifted: Bool, cells: [String]) {
            self.name = name
            self.href = href
            self.drifted = drifted
            self.cells = cells
        }
    }

    /// A page listing pages (the live report's models), in the report's style.
    /// - Parameters:
    ///   - title: Title.
    ///   - headers: Column headings after the first (name).
    ///   - rows: Rows.
    ///   - footer: Footer line.
    ///   - refreshSeconds: Reload period; `nil`: never.
    /// - Returns: The HTML document.
    public static func renderIndex(
        title: String, headers: [String], rows: [IndexRow], footer: String, refreshSeconds: Int? = nil
    ) -> String {
        var out = ""
        head(title: title, refreshSeconds: refreshSeconds, into: &out)
        out += "<body>\n<header><h1>\(esc(title))</h1></header>\n<main>\n"
        if rows.isEmpty {
            out += "<p class=\"empty\">Nothing to show yet.</p>\n"
        } else {
            out += "<table class=\"index\"><thead><tr><th>model</th>"
            for h in headers { out += "<th>\(esc(h))</th>" }
            out += "</tr></thead><tbody>\n"
            for row in rows {
                out +=
                    "<tr class=\"\(row.drifted ? "drifted" : "clean")\"><td><a href=\"\(esc(row.href))\">\(esc(row.name))</a></td>"
                for cell in row.cells { out += "<td>\(esc(cell))</td>" }
                out += "</tr>\n"
            }
            out += "</tbody></table>\n"
        }
        out += "</main>\n<footer>\(esc(footer))</footer>\n"
        out += "<script>document.documentElement.setAttribute('data-report-ready','1');</script>\n</body>\n</html>\n"
        return out
    }

    // MARK: - Sections

    private static func head(title: String, refreshSeconds: Int?, into out: inout String) {
        out += """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="driftd">

            """
        if let refreshSeconds, refreshSeconds > 0 {
            out += "<meta http-equiv=\"refresh\" content=\"\(refreshSeconds)\">\n"
        }
        out += "<title>\(esc(title))</title>\n"
        // First: record script errors where a headless browser's DOM dump can see them.
        out += """
            <script>window.addEventListener('error',function(e){var d=document.documentElement;\
            d.setAttribute('data-script-errors',(d.getAttribute('data-script-errors')||'')+(e.message||'error')+'; ');});</script>

            """
        out += "<style>\n\(css)</style>\n</head>\n"
    }

    private static func crumbs(_ links: [DriftReportPage.Fact], into out: inout String) {
        guard !links.isEmpty else { return }
        out += "<nav class=\"crumbs\">"
        out += links.map { "<a href=\"\(esc($0.value))\">\(esc($0.label))</a>" }.joined(separator: " / ")
        out += "</nav>\n"
    }

    private static func verdict(_ v: DriftReportPage.Verdict, into out: inout String) {
        out +=
            "<section class=\"verdict \(v.drifted ? "drifted" : "clean")\" id=\"verdict\" data-drifted=\"\(v.drifted)\">\n"
        out += "<div class=\"verdict-text\"><p class=\"headline\">\(esc(v.headline))</p>"
        out += "<p class=\"detail\">\(esc(v.detail))</p></div>\n"
        if let share = v.share, share.isFinite {
            let fill = percentNumber(min(max(share, 0), 1))
            out += "<div class=\"meter\" role=\"img\" aria-label=\"\(esc(v.detail))\">"
            out += "<div class=\"meter-fill\" style=\"width:\(fill)%\"></div>"
            if let t = v.shareThreshold, t.isFinite {
                out +=
                    "<div class=\"meter-mark\" style=\"left:\(percentNumber(min(max(t, 0), 1)))%\" title=\"threshold \(esc(DriftReportPage.percent(t)))\"></div>"
            }
            out += "</div>\n"
        }
        out += "</section>\n"
    }

    private static func table(_ page: DriftReportPage, into out: inout String) {
        out += "<section id=\"features\">\n<h2>Features</h2>\n"
        out +=
            "<p class=\"hint noprint\">Sort by a column: click its heading (again to reverse). The score bar's tick is the threshold.</p>\n"
        out += "<div class=\"table-wrap\"><table class=\"features\" id=\"feature-table\">\n<thead><tr>"
        func sortable(_ key: String, _ label: String, numeric: Bool = false, sorted: Bool = false) -> String {
            "<th class=\"\(numeric ? "num " : "")sortable\" data-sort=\"\(key)\" tabindex=\"0\"\(sorted ? " aria-sort=\"ascending\"" : "")>\(label)</th>"
        }
        out += sortable("name", "Feature")
        out += "<th>Method</th>"
        out += sortable("score", "Score", numeric: true)
        out += "<th class=\"num\">Threshold</th>"
        out += sortable("relative", "× threshold", numeric: true)
        out += sortable("p", "p-value", numeric: true)
        out += sortable("missing", "Missing", numeric: true)
        out += sortable("new", "New values", numeric: true)
        out += sortable("status", "Status", sorted: true)
        if page.showsAlertState { out += "<th>Alert</th>" }
        out += "<th class=\"evidence\">Evidence</th></tr></thead>\n<tbody>\n"
        for (i, f) in page.features.enumerated() {
            row(f, index: i, showsAlert: page.showsAlertState, into: &out)
        }
        out += "</tbody>\n</table></div>\n"
        if page.features.contains(where: \.rawSample) {
            out += "<p class=\"hint\">* scored on raw values against the baseline's sample of training values.</p>\n"
        }
        out += "</section>\n"
    }

    private static func row(_ f: DriftReportPage.Feature, index i: Int, showsAlert: Bool, into out: inout String) {
        let relative = f.relativeScore
        out += "<tr id=\"row-\(i)\" class=\"feature \(f.status.rawValue)\" data-chart=\"chart-\(i)\""
        out += " data-feature=\"\(esc(f.name))\" data-name=\"\(esc(f.name.lowercased()))\" data-urgency=\"\(i)\""
        out += " data-score=\"\(attrNumber(f.score))\" data-relative=\"\(attrNumber(relative))\""
        out += " data-p=\"\(attrNumber(f.pValue))\" data-missing=\"\(attrNumber(f.missingShare))\""
        out += " data-new=\"\(attrNumber(f.newShare))\""
        if let alert = f.alert { out += " data-alert=\"\(alert.rawValue)\"" }
        out += ">"
        // Feature
        out += "<td class=\"name\"><a href=\"#chart-\(i)\">\(esc(f.name))</a>"
        out += "<span class=\"sub\">\(f.isPrediction ? "prediction · " : "")\(f.type.rawValue)</span></td>"
        // Method
        out += "<td class=\"method\">\(esc(f.method))\(f.rawSample ? "*" : "")</td>"
        // Score with its bar (the tick at half the width is the threshold)
        let barWidth = percentNumber(min(max(relative, 0) / 2, 1))
        out += "<td class=\"num score\">\(number(f.score))"
        out +=
            "<span class=\"scorebar\" aria-hidden=\"true\"><span class=\"scorebar-fill\(relative >= 1 ? " over" : "")\" style=\"width:\(barWidth)%\"></span></span></td>"
        out += "<td class=\"num\">\(number(f.threshold))</td>"
        out += "<td class=\"num\">\(relative.isFinite ? String(format: "%.2f×", relative) : "-")</td>"
        out += "<td class=\"num\">\(f.pValue.map(pValue) ?? "-")</td>"
        out +=
            "<td class=\"num\">\(percent(f.missingShare))<span class=\"sub\">baseline \(percent(f.baselineMissingShare))</span></td>"
        let newLabel = f.type == .categorical ? "unseen categories" : "outside training range"
        out += "<td class=\"num\">\(f.newShare.map(percent) ?? "-")<span class=\"sub wrap\">\(newLabel)</span></td>"
        out += "<td>\(statusBadge(f.status, smallShift: f.smallShift))</td>"
        if showsAlert {
            switch f.alert {
            case .firing?: out += "<td><span class=\"badge firing\">firing</span></td>"
            case .ok?: out += "<td><span class=\"badge quiet\">ok</span></td>"
            case nil: out += "<td>-</td>"
            }
        }
        out += "<td class=\"evidence\">\(esc(f.reason))"
        if f.status == .drifted, let evidence = f.evidence, !evidence.bins.isEmpty {
            let bins = evidence.bins.map { "\($0.bin) \(percent($0.baselineShare)) → \(percent($0.windowShare))" }
            out +=
                "<span class=\"moved\" title=\"largest moves of the share of present values; \(esc(evidence.measure)) terms\">moved most: \(esc(bins.joined(separator: ", ")))</span>"
        }
        if !f.notes.isEmpty {
            out += "<ul class=\"notes\">"
            for note in f.notes { out += "<li>\(esc(note))</li>" }
            out += "</ul>"
        }
        out += "</td></tr>\n"
    }

    private static func charts(_ page: DriftReportPage, into out: inout String) {
        out += "<section id=\"charts\">\n<h2>Distributions on the baseline's bins</h2>\n"
        out += "<p class=\"legend\"><span class=\"key baseline\"></span>baseline (training)"
        out += "<span class=\"key current\"></span>current"
        out +=
            "<span class=\"key new\"></span>new values: outside the training range, or categories unseen in training. "
        out +=
            "Bars are shares of present values; numeric bins are the baseline's quantile bins, drawn equally wide.</p>\n"
        out += "<div class=\"charts\" id=\"chart-grid\">\n"
        for (i, f) in page.features.enumerated() {
            out += "<figure class=\"card \(f.status.rawValue)\" id=\"chart-\(i)\" data-feature=\"\(esc(f.name))\">\n"
            out +=
                "<figcaption><a href=\"#row-\(i)\" class=\"card-name\">\(esc(f.name))</a>\(f.isPrediction ? " <span class=\"sub-inline\">(prediction)</span>" : "") "
            out += statusBadge(f.status, smallShift: f.smallShift)
            if f.alert == .firing { out += " <span class=\"badge firing\">firing</span>" }
            out +=
                "<span class=\"card-score\">\(esc(f.method)) \(number(f.score)) / \(number(f.threshold))</span></figcaption>\n"
            if let h = f.histogram {
                chart(h, name: f.name, into: &out)
                out +=
                    "<p class=\"chart-foot\">present values: baseline \(DriftReportPage.grouped(Int(h.baselinePresent))), "
                out +=
                    "current \(DriftReportPage.grouped(Int(h.currentPresent))); missing \(percent(f.baselineMissingShare)) → \(percent(f.missingShare))"
                if h.binCount > maxChartBins && h.type == .categorical {
                    out += "; the \(maxChartBins - 1) largest of \(h.binCount - 1) categories shown, and \"other\""
                }
                out += "</p>\n"
            } else {
                out += "<p class=\"empty\">No histogram for this feature.</p>\n"
            }
            out += "</figure>\n"
        }
        out += "</div>\n</section>\n"
    }

    private static func recentAlerts(_ alerts: [DriftReportPage.Alert], into out: inout String) {
        out += "<section id=\"alerts\">\n<h2>Recent alerts</h2>\n"
        if alerts.isEmpty {
            out += "<p class=\"empty\">No alert since the daemon started.</p>\n</section>\n"
            return
        }
        out += "<table class=\"alerts\"><thead><tr><th>time</th><th>target</th><th>status</th><th>severity</th>"
        out +=
            "<th>method</th><th class=\"num\">score</th><th class=\"num\">threshold</th><th class=\"evidence\">reason</th></tr></thead><tbody>\n"
        for a in alerts {
            out +=
                "<tr class=\"alert \(esc(a.status))\"><td class=\"time\">\(esc(a.time))</td><td>\(esc(a.target))</td>"
            out += "<td><span class=\"badge \(a.status == "firing" ? "firing" : "quiet")\">\(esc(a.status))</span></td>"
            out += "<td>\(esc(a.severity))</td><td>\(esc(a.method))</td><td class=\"num\">\(number(a.score))</td>"
            out += "<td class=\"num\">\(number(a.threshold))</td><td class=\"evidence\">\(esc(a.reason))</td></tr>\n"
        }
        out += "</tbody></table>\n</section>\n"
    }

    // MARK: - The chart

    /// Chart geometry (SVG user units; the SVG scales to its card).
    private static let width = 560.0, height = 236.0
    private static let left = 44.0, right = 8.0, top = 20.0, bottom = 52.0

    /// Bins shown: all, or for a long categorical list the largest by either share, plus "other".
    static func shownBins(_ h: ReportHistogram, baseline b: [Double], current c: [Double]) -> [Int] {
        guard h.type == .categorical, h.binCount > maxChartBins else { return Array(0..<h.binCount) }
        let other = h.binCount - 1
        let ranked = (0..<other).sorted {
            max(b[$0], c[$0]) > max(b[$1], c[$1]) || (max(b[$0], c[$0]) == max(b[$1], c[$1]) && $0 < $1)
        }
        return Array(ranked.prefix(maxChartBins - 1)).sorted() + [other]
    }

    private static func chart(_ h: ReportHistogram, name: String, into out: inout String) {
        let b = ReportHistogram.shares(h.baselineCounts)
        let c = ReportHistogram.shares(h.currentCounts)
        let bins = shownBins(h, baseline: b, current: c)
        let n = bins.count
        let plotW = width - left - right
        let plotH = height - top - bottom
        let slot = plotW / Double(max(n, 1))
        let peak = bins.map { max(b[$0], c[$0]) }.max() ?? 0
        let (yStep, yTicks) = axisSteps(peak)
        let yMax = yStep * Double(yTicks)
        func y(_ share: Double) -> Double { top + plotH * (1 - min(share / yMax, 1)) }

        out +=
            "<svg class=\"chart\" data-feature=\"\(esc(name))\" data-bins=\"\(n)\" viewBox=\"0 0 \(f1(width)) \(f1(height))\" "
        out +=
            "role=\"img\" aria-label=\"\(esc(name)): baseline and current shares on \(n) bins\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        // Shaded bins of new values, under everything else.
        for (k, bin) in bins.enumerated() where h.kinds[bin].isNew {
            let x = left + Double(k) * slot
            out +=
                "<rect class=\"new-bin\" data-kind=\"\(h.kinds[bin].rawValue)\" x=\"\(f1(x))\" y=\"\(f1(top))\" width=\"\(f1(slot))\" height=\"\(f1(plotH))\"/>"
            let tag: String
            switch h.kinds[bin] {
            case .belowRange: tag = slot >= 52 ? "below range" : "below"
            case .aboveRange: tag = slot >= 52 ? "above range" : "above"
            case .unseen: tag = "unseen"
            case .value: tag = ""
            }
            if slot >= 26 {
                out +=
                    "<text class=\"new-tag\" x=\"\(f1(x + slot / 2))\" y=\"\(f1(top - 5))\" text-anchor=\"middle\">\(tag)</text>"
            }
            out += "\n"
        }
        // Grid and y axis.
        for step in 0...yTicks {
            let share = yStep * Double(step)
            let yy = y(share)
            out +=
                "<line class=\"grid\" x1=\"\(f1(left))\" x2=\"\(f1(width - right))\" y1=\"\(f1(yy))\" y2=\"\(f1(yy))\"/>"
            out +=
                "<text class=\"tick\" x=\"\(f1(left - 4))\" y=\"\(f1(yy + 3.5))\" text-anchor=\"end\">\(axisPercent(share, step: yStep))</text>\n"
        }
        // Bars: baseline left, current right within each slot.
        let barW = min(slot * 0.38, 30)
        for (k, bin) in bins.enumerated() {
            let center = left + (Double(k) + 0.5) * slot
            let label = h.label(of: bin)
            out +=
                "<g class=\"bin\" data-kind=\"\(h.kinds[bin].rawValue)\"><title>\(esc(label)): baseline \(percent(b[bin])) (\(DriftReportPage.grouped(Int(h.baselineCounts[bin])))), current \(percent(c[bin])) (\(DriftReportPage.grouped(Int(h.currentCounts[bin]))))</title>"
            out +=
                "<rect class=\"hit\" x=\"\(f1(center - slot / 2))\" y=\"\(f1(top))\" width=\"\(f1(slot))\" height=\"\(f1(plotH))\"/>"
            let yb = y(b[bin])
            let yc = y(c[bin])
            out +=
                "<rect class=\"bar baseline\" x=\"\(f1(center - barW - 0.5))\" y=\"\(f1(yb))\" width=\"\(f1(barW))\" height=\"\(f1(top + plotH - yb))\"/>"
            out +=
                "<rect class=\"bar current\" x=\"\(f1(center + 0.5))\" y=\"\(f1(yc))\" width=\"\(f1(barW))\" height=\"\(f1(top + plotH - yc))\"/>"
            out += "</g>\n"
        }
        // Baseline axis line.
        out +=
            "<line class=\"axis\" x1=\"\(f1(left))\" x2=\"\(f1(width - right))\" y1=\"\(f1(top + plotH))\" y2=\"\(f1(top + plotH))\"/>\n"
        // X labels.
        let labelY = top + plotH + 14
        switch h.type {
        case .numeric:
            // Edges at the slot boundaries; thinned to keep them apart.
            let stepEvery = max(1, Int((40 / slot).rounded(.up)))
            for k in 1..<max(n, 1) where (k - 1) % stepEvery == 0 && k - 1 < h.edges.count {
                let x = left + Double(k) * slot
                out +=
                    "<line class=\"edge-tick\" x1=\"\(f1(x))\" x2=\"\(f1(x))\" y1=\"\(f1(top + plotH))\" y2=\"\(f1(top + plotH + 4))\"/>"
                out +=
                    "<text class=\"tick\" x=\"\(f1(x))\" y=\"\(f1(labelY))\" text-anchor=\"middle\">\(esc(ReportHistogram.compact(h.edges[k - 1])))</text>\n"
            }
            out +=
                "<text class=\"axis-note\" x=\"\(f1(left + plotW / 2))\" y=\"\(f1(height - 6))\" text-anchor=\"middle\">bin edges (training quantiles)</text>\n"
        case .categorical:
            let rotate = slot < 64
            let stepEvery = max(1, Int((11 / slot).rounded(.up)))
            let maxChars = rotate ? 12 : max(3, Int(slot / 6.2))
            for (k, bin) in bins.enumerated() where k % stepEvery == 0 {
                let x = left + (Double(k) + 0.5) * slot
                let text = truncate(bin < h.categories.count ? h.categories[bin] : "other", to: maxChars)
                if rotate {
                    out +=
                        "<text class=\"tick cat\" transform=\"translate(\(f1(x + 3)),\(f1(labelY - 4))) rotate(-35)\" text-anchor=\"end\">\(esc(text))</text>\n"
                } else {
                    out +=
                        "<text class=\"tick cat\" x=\"\(f1(x))\" y=\"\(f1(labelY))\" text-anchor=\"middle\">\(esc(text))</text>\n"
                }
            }
        }
        if h.baselinePresent == 0 && h.currentPresent == 0 {
            out +=
                "<text class=\"empty-note\" x=\"\(f1(left + plotW / 2))\" y=\"\(f1(top + plotH / 2))\" text-anchor=\"middle\">no values present</text>\n"
        }
        out += "</svg>\n"
    }

    /// The y axis: a round step and the number of steps (2 to 5) that reach the peak share.
    static func axisSteps(_ peak: Double) -> (step: Double, count: Int) {
        let p = min(max(peak, 0), 1)
        for step in [0.0025, 0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25] {
            let count = Int((p / step - 1e-9).rounded(.up))
            if count <= 5 { return (step, max(count, 2)) }
        }
        return (0.25, 4)
    }

    // MARK: - Text

    /// Escapes text for HTML content and attribute values.
    public static func esc(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    private static func truncate(_ text: String, to count: Int) -> String {
        text.count <= count ? text : String(text.prefix(max(1, count - 1))) + "…"
    }

    private static func statusBadge(_ status: FeatureEvaluation.Status, smallShift: Bool) -> String {
        switch status {
        case .drifted: return "<span class=\"badge drift\">drift</span>"
        case .ok where smallShift:
            return
                "<span class=\"badge small\" title=\"significant at the strict level, below the drift threshold: not drift\">small shift</span>"
        case .ok: return "<span class=\"badge ok\">ok</span>"
        case .insufficientData: return "<span class=\"badge none\">no verdict</span>"
        }
    }

    private static func f1(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    private static func number(_ x: Double) -> String {
        guard x.isFinite else { return "-" }
        return String(format: "%.4f", x)
    }

    private static func pValue(_ p: Double) -> String {
        guard p.isFinite else { return "-" }
        return p < 1e-4 ? String(format: "%.1e", p) : String(format: "%.4f", p)
    }

    private static func percent(_ share: Double) -> String {
        guard share.isFinite else { return "-" }
        return String(format: "%.1f%%", share * 100)
    }

    private static func axisPercent(_ share: Double, step: Double) -> String {
        let value = (share * 10_000).rounded() / 100
        if value == value.rounded() { return String(format: "%.0f%%", value) }
        return String(format: step < 0.01 ? "%.2f%%" : "%.1f%%", value)
    }

    private static func percentNumber(_ share: Double) -> String { String(format: "%.1f", share * 100) }

    /// A number for a data attribute (sort key); empty when absent or not finite.
    private static func attrNumber(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "" }
        return String(format: "%.6g", x)
    }

    // MARK: - Style and script

    static let css = """
        :root{--ink:#1d2330;--muted:#5d6675;--line:#dde1e7;--bg:#f6f7f9;--base:#6f86a6;--cur:#e07b39;--new:#fbeccb;--drift:#c0392b;--ok:#2e7d4f;--none:#8a93a0;--fire:#b71c1c}
        *{box-sizing:border-box}
        html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
        body{margin:0 auto;max-width:1260px;padding:20px 24px 32px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
        h1{font-size:22px;margin:0 0 6px}
        h2{font-size:17px;margin:26px 0 8px}
        a{color:#1f5fa8;text-decoration:none}
        a:hover{text-decoration:underline}
        .crumbs{font-size:13px;margin-bottom:4px}
        .facts{display:flex;flex-wrap:wrap;gap:4px 22px;margin:0;color:var(--muted)}
        .facts div{display:flex;gap:6px}
        .facts dt{font-weight:600}
        .facts dd{margin:0;color:var(--ink);word-break:break-all}
        .verdict{display:flex;align-items:center;gap:24px;margin:16px 0 4px;padding:12px 18px;border-radius:8px;border:1px solid}
        .verdict.drifted{background:#fdecea;border-color:#f0b4ad}
        .verdict.clean{background:#e9f6ee;border-color:#a9d8bb}
        .verdict-text{flex:1}
        .verdict p{margin:0}
        .headline{font-size:18px;font-weight:650}
        .verdict.drifted .headline{color:var(--drift)}
        .verdict.clean .headline{color:var(--ok)}
        .detail{color:var(--muted)}
        .meter{position:relative;width:260px;height:14px;background:#fff;border:1px solid var(--line);border-radius:7px;overflow:visible}
        .meter-fill{height:100%;border-radius:7px;background:var(--drift)}
        .verdict.clean .meter-fill{background:var(--ok)}
        .meter-mark{position:absolute;top:-4px;width:2px;height:20px;background:var(--ink)}
        .page-notes{color:var(--muted);margin:8px 0;padding-left:20px}
        .hint{color:var(--muted);font-size:12.5px;margin:2px 0 6px}
        table{border-collapse:collapse;width:100%}
        .table-wrap{overflow-x:auto}
        th,td{padding:6px 7px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        th{font-size:12.5px;color:var(--muted);font-weight:600;background:var(--bg);white-space:nowrap}
        th.sortable{cursor:pointer;user-select:none}
        th.sortable:hover,th.sortable:focus-visible{color:var(--ink);text-decoration:underline;outline:none}
        th[aria-sort=ascending]::after{content:" ▲"}
        th[aria-sort=descending]::after{content:" ▼"}
        .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        td.name{min-width:150px}
        td.name a{font-weight:600;overflow-wrap:break-word}
        .sub{display:block;font-size:11.5px;color:var(--muted);font-weight:400}
        .num .sub.wrap{white-space:normal}
        .sub-inline{font-size:12px;color:var(--muted)}
        td.method{white-space:nowrap;font-size:13px}
        td.evidence{font-size:12.5px;color:#3a4250;min-width:190px}
        .notes{margin:4px 0 0;padding-left:16px;color:var(--muted)}
        .moved{display:block;margin-top:3px;color:var(--ink);font-variant-numeric:tabular-nums}
        tr.feature.drifted td:first-child{box-shadow:inset 3px 0 var(--drift)}
        .scorebar{display:block;margin:4px 0 0 auto;width:72px;height:6px;border-radius:3px;background:linear-gradient(90deg,transparent 49.5%,var(--ink) 49.5%,var(--ink) 50.5%,transparent 50.5%),#e9ecf0;position:relative}
        .scorebar-fill{display:block;height:100%;border-radius:3px;background:var(--base);opacity:.85}
        .scorebar-fill.over{background:var(--drift)}
        .badge{display:inline-block;padding:1px 7px;border-radius:9px;font-size:11.5px;font-weight:650;letter-spacing:.02em;white-space:nowrap}
        .badge.drift{background:var(--drift);color:#fff}
        .badge.ok{background:#dff1e6;color:var(--ok)}
        .badge.small{background:#fdf1d6;color:#8a5a00}
        .badge.none{background:#eceff3;color:var(--muted)}
        .badge.firing{background:var(--fire);color:#fff}
        .badge.quiet{background:#eceff3;color:var(--muted)}
        .legend{color:var(--muted);font-size:12.5px;margin:0 0 10px}
        .key{display:inline-block;width:11px;height:11px;margin:0 5px -1px 12px;border-radius:2px}
        .key:first-child{margin-left:0}
        .key.baseline{background:var(--base)}
        .key.current{background:var(--cur)}
        .key.new{background:var(--new);border:1px dashed #c9a54d}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:14px}
        .card{margin:0;padding:10px 12px 6px;border:1px solid var(--line);border-radius:8px;break-inside:avoid;page-break-inside:avoid}
        .card.drifted{border-color:#f0b4ad}
        figcaption{display:flex;align-items:baseline;gap:6px;flex-wrap:wrap}
        .card-name{font-weight:650;font-size:15px}
        .card-score{margin-left:auto;color:var(--muted);font-size:12.5px;font-variant-numeric:tabular-nums}
        svg.chart{display:block;width:100%;height:auto;margin-top:4px}
        .chart .grid{stroke:#eceff3;stroke-width:1}
        .chart .axis{stroke:#9aa3af;stroke-width:1}
        .chart .edge-tick{stroke:#9aa3af}
        .chart .tick{font-size:10.5px;fill:var(--muted)}
        .chart .axis-note,.chart .empty-note{font-size:10.5px;fill:#8a93a0}
        .chart .new-bin{fill:var(--new);stroke:#c9a54d;stroke-dasharray:3 2;stroke-width:.8}
        .chart .new-tag{font-size:10px;fill:#9a7a22;font-weight:600}
        .chart .bar.baseline{fill:var(--base)}
        .chart .bar.current{fill:var(--cur)}
        .chart .hit{fill:transparent}
        .chart .bin:hover .hit{fill:rgba(0,0,0,.04)}
        .chart-foot{margin:2px 0 4px;font-size:12px;color:var(--muted)}
        .empty{color:var(--muted)}
        table.alerts td.time{white-space:nowrap;font-variant-numeric:tabular-nums;font-size:12.5px}
        table.index tr.drifted td:first-child{box-shadow:inset 3px 0 var(--drift)}
        footer{margin-top:28px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:8px}
        @media screen and (max-width:900px){.charts{grid-template-columns:1fr}.verdict{flex-direction:column;align-items:flex-start}td.evidence{min-width:180px}}
        @media print{
        @page{size:A4 landscape;margin:10mm}
        body{max-width:none;padding:0;font-size:11px}
        .noprint,th[aria-sort]::after{display:none}
        .table-wrap{overflow:visible}
        a{color:inherit}
        h2{margin-top:14px;break-after:avoid}
        tr{break-inside:avoid}
        .charts{grid-template-columns:1fr 1fr;gap:8px}
        .card{padding:6px 8px 2px}
        .chart .tick{font-size:10px}
        }

        """

    /// Sorting: click a heading, or `#sort=KEY[-asc|-desc]` in the URL; the chart cards follow.
    /// A click records the order in the URL, so the live page's reload keeps it.
    static let sortScript = """
        (function(){
        var root=document.documentElement,table=document.getElementById('feature-table');
        if(!table){root.setAttribute('data-report-ready','1');return;}
        var body=table.tBodies[0],grid=document.getElementById('chart-grid');
        var keys={name:['name',1],score:['score',-1],relative:['relative',-1],p:['p',1],missing:['missing',-1],'new':['new',-1],status:['urgency',1]};
        var current='status',dir=1;
        function value(row,attr){var v=row.getAttribute('data-'+attr);if(attr==='name')return v||'';return v===null||v===''?NaN:parseFloat(v);}
        function sort(key,direction){
        var spec=keys[key];if(!spec)return;var attr=spec[0],d=direction||spec[1];
        var rows=Array.prototype.slice.call(body.rows);
        rows.sort(function(a,b){
        var x=value(a,attr),y=value(b,attr);
        if(attr==='name'){var c=x.localeCompare(y);if(c!==0)return d*c;}
        else{var nx=isNaN(x),ny=isNaN(y);if(nx!==ny)return nx?1:-1;if(!nx&&x!==y)return d*(x-y);}
        return value(a,'urgency')-value(b,'urgency');});
        rows.forEach(function(row){body.appendChild(row);var card=document.getElementById(row.getAttribute('data-chart'));if(card&&grid)grid.appendChild(card);});
        Array.prototype.forEach.call(table.tHead.querySelectorAll('th[data-sort]'),function(th){
        if(th.getAttribute('data-sort')===key)th.setAttribute('aria-sort',d>0?'ascending':'descending');else th.removeAttribute('aria-sort');});
        current=key;dir=d;root.setAttribute('data-sorted',key+(d>0?'-asc':'-desc'));}
        Array.prototype.forEach.call(table.tHead.querySelectorAll('th[data-sort]'),function(th){
        function toggle(){var k=th.getAttribute('data-sort');sort(k,k===current?-dir:keys[k][1]);
        try{history.replaceState(null,'','#sort='+current+(dir>0?'-asc':'-desc'));}catch(e){}}
        th.addEventListener('click',toggle);
        th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();toggle();}});});
        var m=/sort=([a-z]+)(?:-(asc|desc))?/.exec(location.hash);
        if(m&&keys[m[1]])sort(m[1],m[2]==='asc'?1:(m[2]==='desc'?-1:0));
        root.setAttribute('data-report-ready','1');
        })();

        """
}
