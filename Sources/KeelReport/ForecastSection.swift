import KeelCore
import KeelStore

/// Forecasts against actuals with their intervals: the total, every hierarchy level
/// (department, category, region, channel) and the top SKUs, from one forecast run.
public struct ForecastSection: ReportSectionBuilder {
    public init() {}

    public func build(_ c: ReportContext) throws -> ReportSection {
        var s = ReportSection(id: "forecasts", title: "Forecasts against actuals")
        let runId: Int64
        if let id = c.options.forecastRunId { runId = id } else {
            guard let latest = try c.reader.scalar("SELECT MAX(run_id) FROM runs WHERE kind = 'forecast' AND status = 'succeeded'").int else {
                s.text("No forecast run yet: run keel forecast (or keel run) first.")
                return s
            }
            runId = latest
        }
        let run = try c.reader.forecastRun(runId)
        let seriesRows = run.rows.filter { $0.channel != nil && $0.locationKey != nil && $0.itemKey != nil }
        guard let agg = ForecastAggregation(levels: run.levels, rows: seriesRows, panel: try c.demand(), historyDays: c.options.historyDays) else {
            s.text("Forecast run #\(runId) holds no rows for database series (\(run.rows.count) free-form rows).")
            return s
        }
        let horizon = agg.lastForecastDay - agg.firstForecastDay + 1
        s.text("Forecast run #\(runId): \(Markup.number(Double(seriesRows.count))) rows, \(horizon) days from \(agg.firstForecastDay) to \(agg.lastForecastDay), "
               + "quantile levels \(run.levels.map(Markup.level).joined(separator: ", ")). Charts show the last \(c.options.historyDays) days of demand, the forecast mean (dashed) and "
               + (agg.bandName.map { "the \($0) band" } ?? "no band (fewer than two quantile levels)") + "; the dashed vertical line is the forecast origin. "
               + "Quantiles do not add up across series, so each group's band is a normal approximation: "
               + "group mean + z × the standard deviation of the group's own daily demand over the \(c.options.historyDays) days before the forecast, at the run's lowest and highest levels, clamped at zero; "
               + "the horizon-total band in the table uses √(days) × that deviation (days taken as independent). "
               + "Each series' own stored quantiles are scored in the accuracy section.")
        if let end = agg.historyEnd, end >= agg.lastForecastDay {
            s.text("The demand history covers the whole horizon: the actual line continues through the forecast days.")
        } else {
            s.text("The horizon lies beyond the demand history (ends \(agg.historyEnd?.description ?? "–")): no actuals to compare yet.")
        }

        let levels: [(id: String, name: String, group: (Channel, Int64, Int64) -> String?)] = [
            ("department", "department", { _, _, i in c.items[i]?.department }),
            ("category", "category", { _, _, i in c.items[i]?.category }),
            ("region", "location region", { _, l, _ in c.locations[l]?.region }),
            ("channel", "channel", { ch, _, _ in ch.rawValue }),
        ]
        var summaryRows: [[String]] = []
        func summarize(_ level: String, _ g: ForecastAggregation.Group) {
            let before = g.actual[0..<(agg.firstForecastDay - agg.windowStart)].reduce(0) { $1.isFinite ? $0 + $1 : $0 }
            summaryRows.append([level, g.name, Markup.number(before), Markup.number(g.forecastTotal),
                                agg.horizonBand(g).map { Markup.number($0.low) } ?? "–", agg.horizonBand(g).map { Markup.number($0.high) } ?? "–",
                                agg.actualOverHorizon(g).map { Markup.number($0) } ?? "–"])
        }
        if let total = agg.aggregate({ _, _, _ in "total" }).first {
            s.chart(ReportChart(id: c.nextChartId(), agg.chart(total, title: "Total demand: forecast against actuals")))
            summarize("total", total)
        }
        for level in levels {
            let groups = agg.aggregate(level.group)
            let shown = Array(groups.prefix(c.options.maxGroups))
            guard !shown.isEmpty else { continue }
            let more = groups.count > shown.count ? " (the \(shown.count) largest of \(groups.count))" : ""
            let chart = SmallMultiples(title: "Forecast against actuals by \(level.name)\(more)",
                                       description: shown.map { agg.chart($0, title: $0.name).description }.joined(separator: " "),
                                       panels: shown.map { agg.chart($0, title: $0.name) })
            s.chart(ReportChart(id: c.nextChartId(), chart))
            for g in shown { summarize(level.id, g) }
        }
        let skus = Array(agg.aggregate({ _, _, i in c.items[i]?.sku }).prefix(c.options.topSKUs))
        if !skus.isEmpty {
            let chart = SmallMultiples(title: "Top \(skus.count) SKUs by forecast volume (all locations and channels)",
                                       description: skus.map { agg.chart($0, title: "SKU \($0.name)").description }.joined(separator: " "),
                                       panels: skus.map { agg.chart($0, title: $0.name) })
            s.chart(ReportChart(id: c.nextChartId(), chart))
            for g in skus { summarize("sku", g) }
        }
        let days = agg.firstForecastDay - agg.windowStart
        s.table(ReportTable(
            caption: "Units by group: the \(days) days before the forecast, the forecast over \(horizon) days, and the actuals over the horizon when known",
            columns: [.init("level"), .init("group"), .init("actual, \(days) days before", numeric: true), .init("forecast mean", numeric: true),
                      .init("horizon total ≈" + (agg.bandLevels.map { Markup.level(agg.levels[$0.low]) } ?? "low"), numeric: true),
                      .init("horizon total ≈" + (agg.bandLevels.map { Markup.level(agg.levels[$0.high]) } ?? "high"), numeric: true),
                      .init("actual over horizon", numeric: true)],
            rows: summaryRows))
        return s
    }
}
