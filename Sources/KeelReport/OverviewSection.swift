import Foundation
import KeelCore
import KeelStore

/// Overview: the data the database holds and the runs with their timings.
public struct OverviewSection: ReportSectionBuilder {
    public init() {}

    public func build(_ c: ReportContext) throws -> ReportSection {
        var s = ReportSection(id: "overview", title: "Overview: data and runs")
        let r = c.reader
        let first = try r.scalar("SELECT MIN(start_day) FROM demand_series").int
        let last = try r.scalar("SELECT value FROM keel_meta WHERE key = 'demand_end_day'").int
        let range = first.flatMap { f in last.map { "\(Day(rawValue: Int32(f))) … \(Day(rawValue: Int32($0)))" } } ?? "no demand history yet"
        s.text("Demand history: \(range). Items \(Markup.number(Double(c.items.count))), locations \(Markup.number(Double(c.locations.count))), suppliers \(Markup.number(Double(c.suppliers.count))).")
        let tables = ["sales", "returns", "orders", "inventory_positions", "demand_series", "forecasts", "replenishment_plans", "transfer_plans", "sourcing_plans", "anomalies"]
        var rows: [[String]] = []
        for t in tables { rows.append([t, Markup.number(try r.scalar("SELECT COUNT(*) FROM \(t)").double ?? 0)]) }
        s.table(ReportTable(caption: "Rows by table", columns: [.init("table"), .init("rows", numeric: true)], rows: rows))

        let runs = try r.runs(limit: 25)
        guard !runs.isEmpty else { s.text("No run yet."); return s }
        s.table(ReportTable(
            caption: "Latest runs (newest first)",
            columns: [.init("run"), .init("kind"), .init("status"), .init("started"), .init("seconds", numeric: true), .init("rows", numeric: true), .init("error")],
            rows: runs.map { run in
                ["#\(run.runId)", run.kind, run.status, run.startedAt, run.seconds.map { Markup.number($0, decimals: 2) } ?? "–",
                 run.rowsWritten.map { Markup.number(Double($0)) } ?? "–", String((run.error ?? "").prefix(160))]
            }))
        // Timings: one stacked bar per finished run, one segment per recorded phase.
        let timed = runs.filter { $0.seconds != nil }.prefix(12).reversed()
        var perRun: [[String: Double]] = []
        var phaseTotals: [String: Double] = [:]
        for run in timed {
            var t = OverviewSection.phases(run.timings)
            // A "total" beside the phases would count them twice.
            if t.count > 1 { t.removeValue(forKey: "total") }
            if t.isEmpty, let sec = run.seconds { t["total"] = sec }
            for (k, v) in t { phaseTotals[k, default: 0] += v }
            perRun.append(t)
        }
        // The six longest phases by name; the rest are summed as "other".
        let ranked = phaseTotals.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map(\.key)
        var phases = Array(ranked.prefix(6))
        if ranked.count > 6 {
            let rest = Set(ranked.dropFirst(6))
            perRun = perRun.map { t in
                var u = t.filter { !rest.contains($0.key) }
                u["other"] = t.filter { rest.contains($0.key) }.values.reduce(0, +)
                return u
            }
            phases.append("other")
        }
        if !perRun.isEmpty {
            let chart = BarChart(
                title: "Run timings by phase (seconds)",
                description: "Horizontal stacked bars, one per run (oldest at the top), segments are the phases each run recorded: "
                    + zip(timed, perRun).map { "#\($0.runId) \($0.kind) \(Markup.number($1.values.reduce(0, +), decimals: 2)) s" }.joined(separator: "; "),
                categories: timed.map { "#\($0.runId) \($0.kind)" },
                series: phases.map { p in BarChart.Series(name: p, values: perRun.map { $0[p] ?? 0 }) },
                orientation: .horizontal, mode: .stacked, valueLabel: "seconds")
            s.chart(ReportChart(id: c.nextChartId(), chart))
        }
        return s
    }

    /// The numeric members of a run's timings JSON (`{"fit_seconds": 1.2, …}`), keys without `_seconds`.
    static func phases(_ json: String?) -> [String: Double] {
        guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [:] }
        var out: [String: Double] = [:]
        for (k, v) in object {
            let name = k.hasSuffix("_seconds") ? String(k.dropLast(8)) : k
            if let n = v as? NSNumber { out[name] = n.doubleValue } else if let s = v as? String, let d = Double(s) { out[name] = d }
        }
        return out
    }
}
