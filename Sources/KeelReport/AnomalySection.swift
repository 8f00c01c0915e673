import KeelCore

/// The anomaly queue (every anomaly of every run, each once): totals by kind and status, money at
/// risk, locations, and the largest open cases with their explanations.
public struct AnomalySection: ReportSectionBuilder {
    public init() {}

    public func build(_ c: ReportContext) throws -> ReportSection {
        var s = ReportSection(id: "anomalies", title: "Anomalies")
        let count = try c.reader.scalar("SELECT COUNT(*) FROM anomalies").int ?? 0
        guard count > 0 else {
            s.text("No anomaly run yet: the anomalies table is empty (keel anomalies).")
            return s
        }
        let byKind = try c.reader.query("""
            SELECT kind, COUNT(*), SUM(amount_at_risk),
                   SUM(status = 'open'), SUM(CASE WHEN status = 'open' THEN amount_at_risk ELSE 0 END),
                   SUM(CASE WHEN status = 'acknowledged' THEN amount_at_risk ELSE 0 END), SUM(CASE WHEN status = 'resolved' THEN amount_at_risk ELSE 0 END),
                   SUM(severity = 'high')
            FROM anomalies GROUP BY kind ORDER BY 3 DESC, 1
            """)
        let open = byKind.reduce(0) { $0 + ($1[3].double ?? 0) }, openAmount = byKind.reduce(0) { $0 + ($1[4].double ?? 0) }
        let total = byKind.reduce(0) { $0 + ($1[2].double ?? 0) }
        s.text("\(Markup.number(Double(count))) anomalies, \(Markup.number(total, decimals: 2)) at risk; \(Markup.number(open)) open with \(Markup.number(openAmount, decimals: 2)) at risk.")
        s.table(ReportTable(
            caption: "Anomalies by kind",
            columns: [.init("kind"), .init("count", numeric: true), .init("high severity", numeric: true), .init("amount at risk", numeric: true),
                      .init("open", numeric: true), .init("open amount", numeric: true)],
            rows: byKind.map { [$0[0].description, Markup.number($0[1].double ?? 0), Markup.number($0[7].double ?? 0), Markup.number($0[2].double ?? 0, decimals: 2),
                                Markup.number($0[3].double ?? 0), Markup.number($0[4].double ?? 0, decimals: 2)] }))
        s.chart(ReportChart(id: c.nextChartId(), BarChart(
            title: "Money at risk by kind and status",
            description: "Horizontal stacked bars. " + byKind.map { "\($0[0]): open \(Markup.number($0[4].double ?? 0, decimals: 2)), acknowledged \(Markup.number($0[5].double ?? 0, decimals: 2)), resolved \(Markup.number($0[6].double ?? 0, decimals: 2))" }.joined(separator: "; "),
            categories: byKind.map(\.[0].description),
            series: [.init(name: "open", values: byKind.map { $0[4].double ?? 0 }), .init(name: "acknowledged", values: byKind.map { $0[5].double ?? 0 }),
                     .init(name: "resolved", values: byKind.map { $0[6].double ?? 0 })],
            orientation: .horizontal, mode: .stacked, valueLabel: "amount at risk")))
        let byLocation = try c.reader.query("""
            SELECT IFNULL(l.location_id, '(none)'), COUNT(*), SUM(a.amount_at_risk) FROM anomalies a LEFT JOIN locations l ON l.location_key = a.location_key
            GROUP BY a.location_key ORDER BY 3 DESC, 1 LIMIT 10
            """)
        s.table(ReportTable(caption: "Locations with the most money at risk (top 10)",
                            columns: [.init("location"), .init("anomalies", numeric: true), .init("amount at risk", numeric: true)],
                            rows: byLocation.map { [$0[0].description, Markup.number($0[1].double ?? 0), Markup.number($0[2].double ?? 0, decimals: 2)] }))
        for (column, label) in [("channel", "channel"), ("cashier_id", "cashier")] {
            let rows = try c.reader.query("""
                SELECT \(column), COUNT(*), SUM(amount_at_risk), SUM(CASE WHEN status = 'open' THEN amount_at_risk ELSE 0 END)
                FROM anomalies WHERE \(column) IS NOT NULL GROUP BY \(column) ORDER BY 3 DESC, 1 LIMIT 10
                """)
            if !rows.isEmpty {
                s.table(ReportTable(caption: "Money at risk by \(label) (top 10)",
                                    columns: [.init(label), .init("anomalies", numeric: true), .init("amount at risk", numeric: true), .init("open amount", numeric: true)],
                                    rows: rows.map { [$0[0].description, Markup.number($0[1].double ?? 0), Markup.number($0[2].double ?? 0, decimals: 2), Markup.number($0[3].double ?? 0, decimals: 2)] }))
            }
        }
        // Trend: money at risk by ISO week (weeks start on Monday; day 0 = 1970-01-01 was a Thursday).
        let weekly = try c.reader.query("""
            SELECT day - ((day + 3) % 7) AS monday, COUNT(*), SUM(amount_at_risk) FROM anomalies WHERE day IS NOT NULL GROUP BY monday ORDER BY monday
            """)
        if weekly.count >= 2 {
            let xs = weekly.map { $0[0].double ?? 0 }
            s.chart(ReportChart(id: c.nextChartId(), LineChart(
                title: "Money at risk by week of the event",
                description: "Line over weeks (Mondays). " + weekly.map { "week of \(Day(rawValue: Int32($0[0].int ?? 0))): \(Markup.number($0[1].double ?? 0)) anomalies, \(Markup.number($0[2].double ?? 0, decimals: 2)) at risk" }.joined(separator: "; "),
                series: [.init(name: "amount at risk", xs: xs, ys: weekly.map { $0[2].double ?? 0 }, color: 5)],
                xAxis: .days, yLabel: "amount at risk")))
        }
        let cases = try c.reader.query("""
            SELECT a.anomaly_id, a.kind, a.severity, a.amount_at_risk, IFNULL(l.location_id, ''), IFNULL(a.channel, ''),
                   COALESCE(a.transaction_id, a.return_id, a.settlement_id, ''), a.explanation
            FROM anomalies a LEFT JOIN locations l ON l.location_key = a.location_key
            WHERE a.status = 'open' ORDER BY a.amount_at_risk DESC, a.anomaly_id LIMIT 15
            """)
        if !cases.isEmpty {
            s.table(ReportTable(
                caption: "Largest open cases by money at risk",
                columns: [.init("id", numeric: true), .init("kind"), .init("severity"), .init("at risk", numeric: true), .init("location"), .init("channel"),
                          .init("evidence"), .init("explanation")],
                rows: cases.map { r in [r[0].description, r[1].description, r[2].description, Markup.number(r[3].double ?? 0, decimals: 2)] + (4...7).map { r[$0].description } }))
        }
        return s
    }
}
