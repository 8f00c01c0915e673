import Foundation
import KeelCore
import KeelStore

extension KPIReport {
    /// The report as one JSON object (sorted keys; unavailable KPIs as `{"value": null, "reason": …}`).
    public func jsonText() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(self), as: UTF8.self)
    }

    /// One KPI table: its title and either its rows (the first row is the header) or the reason
    /// the KPI is unavailable.
    public struct Table: Sendable {
        public var title: String
        public var rows: [[String]]?
        public var reason: String?
    }

    /// The window the rates cover, in words.
    public var windowText: String { "KPIs as of \(asOf) (rates over \(windowStart)…\(asOf), \(windowDays) days)" }

    /// A readable plain-text table of every KPI; an unavailable KPI prints its reason.
    public func text() -> String {
        var out: [String] = [windowText, ""]
        for t in tables() {
            out.append(t.title)
            if let rows = t.rows { out += table(rows).map { "  " + $0 } } else { out.append("  n/a: \(t.reason ?? "")") }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    /// Every KPI as a table (for the text above and for `keel report`'s KPI section).
    public func tables() -> [Table] {
        var out: [Table] = []
        func section<V>(_ title: String, _ m: Measured<V>, _ body: (V) -> [[String]]) {
            switch m {
            case .unavailable(let reason): out.append(Table(title: title, rows: nil, reason: reason))
            case .value(let v): out.append(Table(title: title, rows: body(v), reason: nil))
            }
        }
        section("Orders created in the window", orders) { o in
            [["measure", "part", "whole", "rate"],
             Self.ratioRow("cancelled lines", o.cancelledLines), Self.ratioRow("cancelled units", o.cancelledUnits),
             Self.ratioRow("orders with a cancelled line", o.cancelledOrders)]
        }
        section("Order fill (latest sourcing run)", sourcingFill) { f in
            [["measure (run \(f.runId))", "part", "whole", "rate"],
             Self.ratioRow("order fill rate (orders fully sourced)", f.orderFillRate), Self.ratioRow("line fill rate", f.lineFillRate),
             Self.ratioRow("unit fill rate", f.unitFillRate), Self.ratioRow("unfulfillable lines", f.unfulfillableLines),
             Self.ratioRow("unfulfillable units", f.unfulfillableUnits)]
        }
        section("Inventory accuracy (snapshot reconciliation)", inventoryAccuracy) { i in
            [["snapshots", "reconciled", "mismatches", "impossible", "inaccurate", "mismatch rate", "accuracy", "Σ|difference| units"],
             ["\(i.snapshots)", "\(i.snapshotsChecked)", "\(i.mismatches)", "\(i.impossiblePositions)", "\(i.inaccurate)",
              Self.percent(i.mismatchRate), Self.percent(i.accuracy), Self.number(i.absoluteUnitDifference)]]
        }
        section("Returns (by the return's channel)", returns) { r in
            [["channel", "units returned", "units sold", "unit rate", "refunds", "net sales", "value rate", "median days", "mean days"]]
                + (r.byChannel + [r.total]).map { c in
                    [c.channel, Self.number(c.units.part), Self.number(c.units.whole), Self.percent(c.units.share), Self.number(c.value.part),
                     Self.number(c.value.whole), Self.percent(c.value.share), Self.number(c.medianCycleDays), Self.number(c.meanCycleDays)]
                }
        }
        section("Fulfilment cost per order (latest sourcing run)", fulfilmentCost) { f in
            [["path (run \(f.runId))", "orders", "units", "ship", "handling", "per order"]]
                + (f.byPath + [f.total]).map { p in
                    [p.path, "\(p.orders)", Self.number(p.units), Self.number(p.shipCost), Self.number(p.handlingCost), Self.number(p.costPerOrder)]
                }
        }
        section("Gross margin", grossMargin) { g in
            let rows = g.byChannel.map { ("channel", $0) } + g.byPath.map { ("path", $0) } + [("all", g.total)]
            return [["by", "key", "units", "net revenue", "cost", "gross margin", "margin %"]]
                + rows.map { by, m in [by, m.key, Self.number(m.units), Self.number(m.netRevenue), Self.number(m.cost), Self.number(m.grossMargin), Self.percent(m.marginRate)] }
        }
        section("In stock (series-days without a stockout)", inStock) { s in
            [["channel", "series-days", "stockout days", "in-stock rate"]]
                + (s.byChannel + [s.total]).map { [$0.key, "\($0.seriesDays)", "\($0.stockoutDays)", Self.percent($0.inStockRate)] }
        }
        section("Forecast accuracy (last completed horizon)", forecastAccuracy) { f in
            [["run", "days", "points", "censored", "WAPE", "bias", "MAE", "scaled error"],
             ["\(f.runId)", "\(f.firstDay)…\(f.lastDay)", "\(f.points)", "\(f.censoredPoints)", Self.percent(f.wape), Self.percent(f.bias),
              Self.number(f.mae), Self.number(f.scaledError)]]
        }
        section("Open anomalies", openAnomalies) { a in
            [["kind/severity", "count", "amount at risk"]]
                + (a.byKindAndSeverity + [AnomalyGroup(key: "total", count: a.count, amountAtRisk: a.amountAtRisk)]).map {
                    [$0.key, "\($0.count)", Self.number($0.amountAtRisk)]
                }
        }
        return out
    }

    static func ratioRow(_ name: String, _ r: Ratio) -> [String] { [name, number(r.part), number(r.whole), percent(r.share)] }

    static func number(_ x: Double?) -> String {
        guard let x else { return "–" }
        return x.rounded() == x && abs(x) < 1e15 ? String(Int64(x)) : String(format: "%.2f", x)
    }

    static func percent(_ x: Double?) -> String { x.map { String(format: "%.1f%%", 100 * $0) } ?? "–" }

    /// Left-aligned columns padded to their widest cell.
    func table(_ rows: [[String]]) -> [String] {
        var widths: [Int] = []
        for r in rows { for (i, c) in r.enumerated() { if i >= widths.count { widths.append(0) }; widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in i == r.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }
    }
}
