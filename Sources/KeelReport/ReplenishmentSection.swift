/// The replenishment plan of the latest run that wrote one: orders by supplier (lines, units,
/// value at unit cost) and the service-level target against the projected fill rate.
public struct ReplenishmentSection: ReportSectionBuilder {
    public init() {}

    public func build(_ c: ReportContext) throws -> ReportSection {
        var s = ReportSection(id: "replenishment", title: "Replenishment")
        guard let run = try c.latestRun(in: "replenishment_plans") else {
            s.text("No replenishment run yet: no successful run has written replenishment_plans (keel plan).")
            return s
        }
        let bySupplier = try c.reader.query("""
            SELECT IFNULL(sp.supplier_id, '(no supplier)'), COUNT(*), SUM(t.order_qty), SUM(t.order_qty * i.unit_cost),
                   AVG(t.service_level_target), AVG(t.projected_fill_rate), SUM(IFNULL(t.safety_stock, 0) * i.unit_cost)
            FROM replenishment_plans t JOIN items i ON i.item_key = t.item_key
            LEFT JOIN suppliers sp ON sp.supplier_key = t.supplier_key
            WHERE t.run_id = ? GROUP BY 1 ORDER BY 4 DESC, 1
            """, [.integer(run)])
        let totals = try c.reader.query("""
            SELECT COUNT(*), SUM(CASE WHEN t.order_qty > 0 THEN 1 ELSE 0 END), SUM(t.order_qty), SUM(t.order_qty * i.unit_cost), COUNT(DISTINCT t.location_key)
            FROM replenishment_plans t JOIN items i ON i.item_key = t.item_key WHERE t.run_id = ?
            """, [.integer(run)])[0]
        s.text("Run #\(run): \(Markup.number(totals[0].double ?? 0)) plan lines for \(Markup.number(totals[4].double ?? 0)) locations, "
               + "\(Markup.number(totals[1].double ?? 0)) with an order; \(Markup.number(totals[2].double ?? 0)) units worth \(Markup.number(totals[3].double ?? 0, decimals: 2)) at unit cost.")
        s.table(ReportTable(
            caption: "Orders by supplier",
            columns: [.init("supplier"), .init("lines", numeric: true), .init("units", numeric: true), .init("value at cost", numeric: true),
                      .init("mean service target", numeric: true), .init("mean projected fill rate", numeric: true), .init("safety stock value", numeric: true)],
            rows: bySupplier.map { r in
                [r[0].description, Markup.number(r[1].double ?? 0), Markup.number(r[2].double ?? 0), Markup.number(r[3].double ?? 0, decimals: 2),
                 Markup.percent(r[4].double), Markup.percent(r[5].double), Markup.number(r[6].double ?? 0, decimals: 2)]
            }))
        let top = Array(bySupplier.prefix(15))
        s.chart(ReportChart(id: c.nextChartId(), BarChart(
            title: "Order value by supplier (at unit cost)",
            description: "Horizontal bars. " + top.map { "\($0[0]): \(Markup.number($0[3].double ?? 0, decimals: 2))" }.joined(separator: "; "),
            categories: top.map(\.[0].description), series: [.init(name: "order value", values: top.map { $0[3].double ?? 0 })],
            orientation: .horizontal, mode: .grouped, valueLabel: "value at cost")))
        let withService = top.filter { !$0[4].isNull || !$0[5].isNull }
        if !withService.isEmpty {
            s.chart(ReportChart(id: c.nextChartId(), BarChart(
                title: "Service level target against projected fill rate by supplier (%)",
                description: "Grouped vertical bars. " + withService.map { "\($0[0]): target \(Markup.percent($0[4].double)), projected \(Markup.percent($0[5].double))" }.joined(separator: "; "),
                categories: withService.map(\.[0].description),
                series: [.init(name: "service level target", values: withService.map { ($0[4].double ?? .nan) * 100 }),
                         .init(name: "projected fill rate", values: withService.map { ($0[5].double ?? .nan) * 100 })],
                orientation: .vertical, mode: .grouped, valueLabel: "%")))
        }
        return s
    }
}
