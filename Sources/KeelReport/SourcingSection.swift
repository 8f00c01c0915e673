/// The sourcing plan of the latest run that wrote one: cost breakdown by fulfilling location,
/// split rate, promise rate and unsourced lines.
///
/// Split rate = orders whose lines leave in more than one shipment (distinct `shipment_id`, or
/// distinct location when a line has no shipment id) / orders with at least one sourced line.
public struct SourcingSection: ReportSectionBuilder {
    public init() {}

    public func build(_ c: ReportContext) throws -> ReportSection {
        var s = ReportSection(id: "sourcing", title: "Sourcing")
        guard let run = try c.latestRun(in: "sourcing_plans") else {
            s.text("No sourcing run yet: no successful run has written sourcing_plans (keel route).")
            return s
        }
        let byLocation = try c.reader.query("""
            SELECT IFNULL(l.location_id, '(unsourced)'), COUNT(*), SUM(t.qty), SUM(IFNULL(t.ship_cost, 0)), SUM(IFNULL(t.handling_cost, 0)),
                   SUM(IFNULL(t.aging_credit, 0))
            FROM sourcing_plans t LEFT JOIN locations l ON l.location_key = t.location_key
            WHERE t.run_id = ? GROUP BY t.location_key ORDER BY 4 + 5 DESC, 1
            """, [.integer(run)])
        let split = try c.reader.query("""
            SELECT COUNT(*), SUM(CASE WHEN shipments > 1 THEN 1 ELSE 0 END) FROM (
              SELECT order_id, COUNT(DISTINCT IFNULL(shipment_id, 'loc:' || location_key)) AS shipments
              FROM sourcing_plans WHERE run_id = ? AND location_key IS NOT NULL GROUP BY order_id)
            """, [.integer(run)])[0]
        let promise = try c.reader.query("""
            SELECT COUNT(promise_met), SUM(promise_met), SUM(CASE WHEN location_key IS NULL THEN 1 ELSE 0 END), COUNT(*)
            FROM sourcing_plans WHERE run_id = ?
            """, [.integer(run)])[0]
        let orders = split[0].double ?? 0, splitOrders = split[1].double ?? 0
        let ship = byLocation.reduce(0) { $0 + ($1[3].double ?? 0) }, handling = byLocation.reduce(0) { $0 + ($1[4].double ?? 0) }
        let credit = byLocation.reduce(0) { $0 + ($1[5].double ?? 0) }
        s.text("Run #\(run): \(Markup.number(promise[3].double ?? 0)) plan lines, \(Markup.number(promise[2].double ?? 0)) unsourced; "
               + "split rate \(orders > 0 ? Markup.percent(splitOrders / orders) : "–") (\(Markup.number(splitOrders)) of \(Markup.number(orders)) orders); "
               + "promise met on \((promise[0].double ?? 0) > 0 ? Markup.percent((promise[1].double ?? 0) / (promise[0].double ?? 1)) : "–") of lines with a promise; "
               + "shipping \(Markup.number(ship, decimals: 2)), handling \(Markup.number(handling, decimals: 2)), aging credit \(Markup.number(credit, decimals: 2)), "
               + "net cost \(Markup.number(ship + handling - credit, decimals: 2))"
               + (orders > 0 ? ", \(Markup.number((ship + handling - credit) / orders, decimals: 2)) per sourced order." : "."))
        s.table(ReportTable(
            caption: "Sourcing cost by fulfilling location",
            columns: [.init("location"), .init("lines", numeric: true), .init("units", numeric: true), .init("shipping", numeric: true),
                      .init("handling", numeric: true), .init("aging credit", numeric: true)],
            rows: byLocation.map { r in [r[0].description, Markup.number(r[1].double ?? 0), Markup.number(r[2].double ?? 0)] + (3...5).map { Markup.number(r[$0].double ?? 0, decimals: 2) } }))
        let top = Array(byLocation.prefix(12))
        s.chart(ReportChart(id: c.nextChartId(), BarChart(
            title: "Sourcing cost breakdown by location (aging credit below zero)",
            description: "Horizontal stacked bars. " + top.map { "\($0[0]): shipping \(Markup.number($0[3].double ?? 0, decimals: 2)), handling \(Markup.number($0[4].double ?? 0, decimals: 2)), aging credit \(Markup.number($0[5].double ?? 0, decimals: 2))" }.joined(separator: "; "),
            categories: top.map(\.[0].description),
            series: [.init(name: "shipping", values: top.map { $0[3].double ?? 0 }), .init(name: "handling", values: top.map { $0[4].double ?? 0 }),
                     .init(name: "aging credit", values: top.map { -($0[5].double ?? 0) })],
            orientation: .horizontal, mode: .stacked, valueLabel: "money")))
        return s
    }
}
