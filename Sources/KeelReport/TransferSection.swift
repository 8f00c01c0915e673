/// The transfer plan of the latest run that wrote one: units and expected benefit by lane.
public struct TransferSection: ReportSectionBuilder {
    public init() {}

    public func build(_ c: ReportContext) throws -> ReportSection {
        var s = ReportSection(id: "transfers", title: "Transfers")
        guard let run = try c.latestRun(in: "transfer_plans") else {
            s.text("No transfer run yet: no successful run has written transfer_plans (keel plan).")
            return s
        }
        let lanes = try c.reader.query("""
            SELECT a.location_id || ' → ' || b.location_id, COUNT(*), SUM(t.qty), SUM(IFNULL(t.expected_benefit, 0))
            FROM transfer_plans t JOIN locations a ON a.location_key = t.from_location_key JOIN locations b ON b.location_key = t.to_location_key
            WHERE t.run_id = ? GROUP BY t.from_location_key, t.to_location_key ORDER BY 3 DESC, 1
            """, [.integer(run)])
        let total = lanes.reduce((0.0, 0.0, 0.0)) { ($0.0 + ($1[1].double ?? 0), $0.1 + ($1[2].double ?? 0), $0.2 + ($1[3].double ?? 0)) }
        s.text("Run #\(run): \(Markup.number(total.0)) transfer lines on \(lanes.count) lanes, \(Markup.number(total.1)) units, expected benefit \(Markup.number(total.2, decimals: 2)).")
        s.table(ReportTable(caption: "Transfers by lane", columns: [.init("lane"), .init("lines", numeric: true), .init("units", numeric: true), .init("expected benefit", numeric: true)],
                            rows: lanes.map { [$0[0].description, Markup.number($0[1].double ?? 0), Markup.number($0[2].double ?? 0), Markup.number($0[3].double ?? 0, decimals: 2)] }))
        let top = Array(lanes.prefix(12))
        s.chart(ReportChart(id: c.nextChartId(), BarChart(
            title: "Units planned per lane (largest \(top.count))",
            description: "Horizontal bars. " + top.map { "\($0[0]): \(Markup.number($0[2].double ?? 0)) units" }.joined(separator: "; "),
            categories: top.map(\.[0].description), series: [.init(name: "units", values: top.map { $0[2].double ?? 0 })],
            orientation: .horizontal, mode: .grouped, valueLabel: "units")))
        return s
    }
}
