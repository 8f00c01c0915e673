/// Inventory and available-to-sell by node type, the locations with the most stock value, and
/// sales against returns by channel.
public struct InventorySection: ReportSectionBuilder {
    public init() {}

    public func build(_ c: ReportContext) throws -> ReportSection {
        var s = ReportSection(id: "inventory", title: "Inventory, available to sell, sales and returns")
        let stock = try c.reader.query("""
            SELECT l.type, COUNT(DISTINCT p.location_key), SUM(p.on_hand), SUM(p.reserved), SUM(p.damaged), SUM(p.in_transit),
                   SUM(p.on_hand - p.reserved - p.damaged), SUM(p.on_hand * i.unit_cost),
                   SUM(CASE WHEN p.on_hand - p.reserved - p.damaged <= 0 THEN 1 ELSE 0 END), COUNT(*)
            FROM inventory_positions p JOIN locations l USING (location_key) JOIN items i USING (item_key)
            GROUP BY l.type ORDER BY l.type
            """)
        if stock.isEmpty {
            s.text("No inventory positions yet: import inventory.csv.")
        } else {
            s.text("Available to sell = on hand − reserved − damaged, from the current positions (the latest snapshot adjusted by later sales and returns).")
            s.table(ReportTable(
                caption: "Stock by node type (units; value at unit cost)",
                columns: [.init("node type"), .init("locations", numeric: true), .init("on hand", numeric: true), .init("reserved", numeric: true),
                          .init("damaged", numeric: true), .init("in transit", numeric: true), .init("available", numeric: true),
                          .init("value at cost", numeric: true), .init("positions with nothing available", numeric: true)],
                rows: stock.map { r in
                    [r[0].description] + (1...7).map { Markup.number(r[$0].double ?? 0) }
                        + ["\(Markup.number(r[8].double ?? 0)) of \(Markup.number(r[9].double ?? 0))"]
                }))
            let types = stock.map(\.[0].description)
            func column(_ i: Int) -> [Double] { stock.map { $0[i].double ?? 0 } }
            let chart = BarChart(
                title: "Stock by node type: available, reserved, damaged, in transit (units)",
                description: "Horizontal stacked bars per node type. " + stock.map {
                    "\($0[0]): available \(Markup.number($0[6].double ?? 0)), reserved \(Markup.number($0[3].double ?? 0)), damaged \(Markup.number($0[4].double ?? 0)), in transit \(Markup.number($0[5].double ?? 0))"
                }.joined(separator: "; "),
                categories: types,
                series: [.init(name: "available", values: column(6)), .init(name: "reserved", values: column(3)),
                         .init(name: "damaged", values: column(4)), .init(name: "in transit", values: column(5))],
                orientation: .horizontal, mode: .stacked, valueLabel: "units")
            s.chart(ReportChart(id: c.nextChartId(), chart))
            let top = try c.reader.query("""
                SELECT l.location_id, l.type, SUM(p.on_hand - p.reserved - p.damaged), SUM(p.on_hand * i.unit_cost)
                FROM inventory_positions p JOIN locations l USING (location_key) JOIN items i USING (item_key)
                GROUP BY p.location_key ORDER BY 4 DESC, 1 LIMIT 10
                """)
            s.table(ReportTable(caption: "Locations with the most stock value (top 10)",
                                columns: [.init("location"), .init("type"), .init("available", numeric: true), .init("value at cost", numeric: true)],
                                rows: top.map { [$0[0].description, $0[1].description, Markup.number($0[2].double ?? 0), Markup.number($0[3].double ?? 0, decimals: 2)] }))
        }
        let sales = try c.reader.query("""
            SELECT ch, SUM(lines), SUM(units), SUM(revenue), SUM(returned), SUM(refunds) FROM (
              SELECT channel AS ch, COUNT(*) AS lines, SUM(qty) AS units, SUM(qty * unit_price - discount) AS revenue, 0 AS returned, 0 AS refunds
              FROM sales GROUP BY channel
              UNION ALL
              SELECT channel, 0, 0, 0, SUM(qty), SUM(refund_amount) FROM returns GROUP BY channel)
            GROUP BY ch ORDER BY ch
            """)
        if sales.isEmpty {
            s.text("No sales or returns yet.")
            return s
        }
        s.table(ReportTable(
            caption: "Sales and returns by channel (return rate = units returned / units sold)",
            columns: [.init("channel"), .init("sales lines", numeric: true), .init("units sold", numeric: true), .init("net revenue", numeric: true),
                      .init("units returned", numeric: true), .init("refunds", numeric: true), .init("return rate", numeric: true)],
            rows: sales.map { r in
                let sold = r[2].double ?? 0, returned = r[4].double ?? 0
                return [r[0].description, Markup.number(r[1].double ?? 0), Markup.number(sold), Markup.number(r[3].double ?? 0, decimals: 2),
                        Markup.number(returned), Markup.number(r[5].double ?? 0, decimals: 2), sold > 0 ? Markup.percent(returned / sold) : "–"]
            }))
        let chart = BarChart(
            title: "Net revenue and refunds by channel",
            description: "Grouped vertical bars. " + sales.map { "\($0[0]): net revenue \(Markup.number($0[3].double ?? 0)), refunds \(Markup.number($0[5].double ?? 0))" }.joined(separator: "; "),
            categories: sales.map(\.[0].description),
            series: [.init(name: "net revenue", values: sales.map { $0[3].double ?? 0 }), .init(name: "refunds", values: sales.map { $0[5].double ?? 0 })],
            orientation: .vertical, mode: .grouped, valueLabel: "money")
        s.chart(ReportChart(id: c.nextChartId(), chart))
        return s
    }
}
