import KeelStore

/// Gross margin by channel and by fulfilment path, from the sales lines (part of the finance
/// report).
///
/// Net revenue = Σ (qty × unit_price − discount); cost = Σ qty × the item's current unit cost;
/// gross margin = net revenue − cost; margin % = margin / net revenue. Refunds are shown beside
/// (by channel), not netted. Fulfilment path of a line: `in store` for the store channel, else by
/// the fulfilling node's type — `DC`, `drop-ship`, `3PL`, `pickup` for a store node when the
/// line's order is a known pickup order, else `store (ship-from-store or pickup)`.
public struct MarginSection: ReportSectionBuilder {
    public init() {}

    static let pathSQL = """
        CASE WHEN s.channel = 'store' THEN 'in store'
             WHEN l.type = 'dc' THEN 'DC'
             WHEN l.type = 'dropship' THEN 'drop-ship'
             WHEN l.type = '3pl' THEN '3PL'
             WHEN s.order_id IS NOT NULL AND EXISTS (SELECT 1 FROM orders o WHERE o.order_id = s.order_id AND o.service = 'pickup') THEN 'pickup'
             ELSE 'store (ship-from-store or pickup)' END
        """

    public func build(_ c: ReportContext) throws -> ReportSection {
        var s = ReportSection(id: "margin", title: "Gross margin by channel and fulfilment path")
        let byChannel = try c.reader.query("""
            SELECT ch, SUM(revenue), SUM(cost), SUM(refunds) FROM (
              SELECT s.channel AS ch, SUM(s.qty * s.unit_price - s.discount) AS revenue, SUM(s.qty * i.unit_cost) AS cost, 0 AS refunds
              FROM sales s JOIN items i USING (item_key) GROUP BY s.channel
              UNION ALL SELECT channel, 0, 0, SUM(refund_amount) FROM returns GROUP BY channel)
            GROUP BY ch ORDER BY 2 DESC, 1
            """)
        guard !byChannel.isEmpty else {
            s.text("No sales yet.")
            return s
        }
        s.text("Net revenue = Σ (qty × unit price − discount); cost at each item's current unit cost; gross margin = net revenue − cost. Refunds are listed beside, not netted.")
        func row(_ r: [CellValue], refunds: Bool) -> [String] {
            let revenue = r[1].double ?? 0, cost = r[2].double ?? 0
            return [r[0].description, Markup.number(revenue, decimals: 2), Markup.number(cost, decimals: 2), Markup.number(revenue - cost, decimals: 2),
                    revenue != 0 ? Markup.percent((revenue - cost) / revenue) : "–"] + (refunds ? [Markup.number(r[3].double ?? 0, decimals: 2)] : [])
        }
        let money: [ReportTable.Column] = [.init("net revenue", numeric: true), .init("cost", numeric: true), .init("gross margin", numeric: true), .init("margin %", numeric: true)]
        s.table(ReportTable(caption: "Gross margin by channel", columns: [.init("channel")] + money + [.init("refunds", numeric: true)],
                            rows: byChannel.map { row($0, refunds: true) }))
        s.chart(ReportChart(id: c.nextChartId(), BarChart(
            title: "Net revenue, cost and gross margin by channel",
            description: "Grouped vertical bars. " + byChannel.map { r in
                let rev = r[1].double ?? 0, cost = r[2].double ?? 0
                return "\(r[0]): revenue \(Markup.number(rev)), cost \(Markup.number(cost)), margin \(Markup.number(rev - cost))"
            }.joined(separator: "; "),
            categories: byChannel.map(\.[0].description),
            series: [.init(name: "net revenue", values: byChannel.map { $0[1].double ?? 0 }), .init(name: "cost", values: byChannel.map { $0[2].double ?? 0 }),
                     .init(name: "gross margin", values: byChannel.map { ($0[1].double ?? 0) - ($0[2].double ?? 0) })],
            orientation: .vertical, mode: .grouped, valueLabel: "money")))
        let byPath = try c.reader.query("""
            SELECT \(MarginSection.pathSQL) AS path, SUM(s.qty * s.unit_price - s.discount), SUM(s.qty * i.unit_cost)
            FROM sales s JOIN items i USING (item_key) JOIN locations l ON l.location_key = s.location_key
            GROUP BY path ORDER BY 2 DESC, 1
            """)
        s.table(ReportTable(caption: "Gross margin by fulfilment path", columns: [.init("path")] + money, rows: byPath.map { row($0, refunds: false) }))
        s.chart(ReportChart(id: c.nextChartId(), BarChart(
            title: "Gross margin % by fulfilment path",
            description: "Horizontal bars. " + byPath.map { r in
                let rev = r[1].double ?? 0, cost = r[2].double ?? 0
                return "\(r[0]): \(rev != 0 ? Markup.percent((rev - cost) / rev) : "–")"
            }.joined(separator: "; "),
            categories: byPath.map(\.[0].description),
            series: [.init(name: "margin %", values: byPath.map { r in
                let rev = r[1].double ?? 0, cost = r[2].double ?? 0
                return rev != 0 ? (rev - cost) / rev * 100 : .nan
            })],
            orientation: .horizontal, mode: .grouped, valueLabel: "gross margin %")))
        return s
    }
}
