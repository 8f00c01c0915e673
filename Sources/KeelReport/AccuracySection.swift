import KeelCore
import KeelStore

/// Forecast accuracy on the last completed horizon: the latest successful forecast run whose
/// every forecast day lies within the demand history, scored by department and by model.
///
/// Per series-day `t` with actual `a` and mean `f` (stockout days are censored and left out):
/// MAE = Σ|f − a| / n; WAPE = Σ|f − a| / Σa; bias = (Σf − Σa) / Σa; coverage = the share of
/// actuals inside the band `[q_low, q_high]` when the lowest level is below 0.5 (nominal
/// `high − low`), else the share at or below `q_high` (nominal `high`).
public struct AccuracySection: ReportSectionBuilder {
    public init() {}

    public struct Stats: Sendable, Equatable {
        public var points = 0
        public var actual = 0.0
        public var forecast = 0.0
        public var absoluteError = 0.0
        public var covered = 0
        public var mae: Double { points == 0 ? .nan : absoluteError / Double(points) }
        public var wape: Double { actual == 0 ? .nan : absoluteError / actual }
        public var bias: Double { actual == 0 ? .nan : (forecast - actual) / actual }
        public var coverage: Double { points == 0 ? .nan : Double(covered) / Double(points) }
        mutating func add(actual a: Double, forecast f: Double, covered hit: Bool) {
            points += 1; actual += a; forecast += f; absoluteError += abs(f - a); covered += hit ? 1 : 0
        }
    }

    /// The scored run: its id, the stats by department, by model and by (department, model),
    /// the nominal coverage, and the number of censored (stockout) points left out.
    public struct Scores: Sendable {
        public var runId: Int64
        public var byDepartment: [String: Stats] = [:]
        public var byModel: [String: Stats] = [:]
        public var byDepartmentAndModel: [String: [String: Stats]] = [:]
        public var nominalCoverage: Double?
        public var coverageRule = ""
        public var censored = 0
        /// Forecast rows left out because they name no demand series of the database.
        public var unmatched = 0
        public var firstDay: Day?
        public var lastDay: Day?
    }

    /// Scores the last completed horizon (nil: no forecast run has a completed horizon yet).
    public static func scores(_ c: ReportContext) throws -> Scores? {
        let panel = try c.demand()
        guard let end = panel.endDay,
              let runId = try c.reader.scalar("""
                SELECT r.run_id FROM runs r WHERE r.kind = 'forecast' AND r.status = 'succeeded'
                  AND (SELECT MAX(day) FROM forecasts f WHERE f.run_id = r.run_id) <= ?
                ORDER BY r.run_id DESC LIMIT 1
                """, [.integer(Int64(end.rawValue))]).int
        else { return nil }
        let run = try c.reader.forecastRun(runId)
        struct SeriesKey: Hashable { var channel: Channel; var location: Int64; var item: Int64 }
        var series: [SeriesKey: Int] = [:]
        for s in 0..<panel.count {
            let k = panel.keys[s]
            series[SeriesKey(channel: k.channel, location: k.locationKey, item: k.itemKey)] = s
        }
        var out = Scores(runId: runId)
        let levels = run.levels
        let lo = levels.indices.min { levels[$0] < levels[$1] }, hi = levels.indices.max { levels[$0] < levels[$1] }
        let interval = levels.count >= 2 && lo.map { levels[$0] < 0.5 } == true
        if let hi {
            if interval, let lo {
                out.nominalCoverage = levels[hi] - levels[lo]
                out.coverageRule = "share of actuals within [\(Markup.level(levels[lo])), \(Markup.level(levels[hi]))]"
            } else {
                out.nominalCoverage = levels[hi]
                out.coverageRule = "share of actuals at or below \(Markup.level(levels[hi]))"
            }
        }
        for r in run.rows {
            guard let ch = r.channel, let l = r.locationKey, let it = r.itemKey,
                  let s = series[SeriesKey(channel: ch, location: l, item: it)] else { out.unmatched += 1; continue }
            let offset = r.day - panel.starts[s]
            let a: Double
            if offset < 0 { a = 0 } else {
                let i = panel.range(s).lowerBound + offset
                if panel.isStockout(i) { out.censored += 1; continue }
                a = Double(panel.units[i])
            }
            var hit = false
            if let hi {
                hit = interval ? (a >= r.quantiles[lo!] && a <= r.quantiles[hi]) : a <= r.quantiles[hi]
            }
            let dept = c.items[it]?.department ?? "(unknown)"
            out.byDepartment[dept, default: Stats()].add(actual: a, forecast: r.yhat, covered: hit)
            out.byModel[r.model, default: Stats()].add(actual: a, forecast: r.yhat, covered: hit)
            out.byDepartmentAndModel[dept, default: [:]][r.model, default: Stats()].add(actual: a, forecast: r.yhat, covered: hit)
            out.firstDay = min(out.firstDay ?? r.day, r.day); out.lastDay = max(out.lastDay ?? r.day, r.day)
        }
        return out
    }

    public func build(_ c: ReportContext) throws -> ReportSection {
        var s = ReportSection(id: "accuracy", title: "Forecast accuracy by department and model")
        guard let scores = try AccuracySection.scores(c), let first = scores.firstDay, let last = scores.lastDay else {
            s.text("No completed horizon yet: no successful forecast run has all its forecast days inside the demand history. "
                   + "Accuracy appears once the days a run forecast have been imported as sales (or after a forecast with an earlier --as-of).")
            return s
        }
        s.text("Forecast run #\(scores.runId), scored on \(first) … \(last) against the demand history. MAE = mean absolute error (units per series-day); "
               + "WAPE = Σ|forecast − actual| / Σ actual; bias = (Σ forecast − Σ actual) / Σ actual; coverage = \(scores.coverageRule)"
               + (scores.nominalCoverage.map { " (nominal \(Markup.percent($0)))" } ?? "") + ". "
               + "\(Markup.number(Double(scores.censored))) stockout-censored series-days are left out"
               + (scores.unmatched > 0 ? ", and \(Markup.number(Double(scores.unmatched))) forecast rows that name no demand series." : "."))
        let columns: [ReportTable.Column] = [.init("group"), .init("series-days", numeric: true), .init("actual", numeric: true), .init("forecast", numeric: true),
                                             .init("MAE", numeric: true), .init("WAPE", numeric: true), .init("bias", numeric: true), .init("coverage", numeric: true)]
        func rows(_ d: [String: Stats]) -> [[String]] {
            d.keys.sorted().map { k in
                let st = d[k]!
                return [k, Markup.number(Double(st.points)), Markup.number(st.actual, decimals: 1), Markup.number(st.forecast, decimals: 1),
                        Markup.number(st.mae, decimals: 3), Markup.percent(st.wape), Markup.percent(st.bias), Markup.percent(st.coverage)]
            }
        }
        s.table(ReportTable(caption: "Accuracy by department", columns: columns, rows: rows(scores.byDepartment)))
        s.table(ReportTable(caption: "Accuracy by model", columns: columns, rows: rows(scores.byModel)))
        let departments = scores.byDepartment.keys.sorted()
        let models = scores.byModel.keys.sorted()
        let chart = BarChart(
            title: "WAPE by department and model (%)",
            description: "Grouped bars: WAPE of each model within each department. " + departments.map { d in
                "\(d): " + models.compactMap { m in scores.byDepartmentAndModel[d]?[m].map { "\(m) \(Markup.percent($0.wape))" } }.joined(separator: ", ")
            }.joined(separator: "; "),
            categories: departments,
            series: models.map { m in .init(name: m, values: departments.map { d in (scores.byDepartmentAndModel[d]?[m]?.wape).map { $0 * 100 } ?? .nan }) },
            orientation: .vertical, mode: .grouped, valueLabel: "WAPE %")
        s.chart(ReportChart(id: c.nextChartId(), chart))
        return s
    }
}
