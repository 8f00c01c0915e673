import KeelKPI
import KeelStore

/// The retailer's KPIs (`keel kpis`) as report tables, computed when the section is made.
public struct KPISection: ReportSectionBuilder {
    public let report: KPIReport?
    public let unavailable: String?

    /// Computes the KPIs of `database` now; when they cannot be computed (an empty database) the
    /// section says why instead.
    public init(_ database: KeelDatabase) {
        do { report = try KPIReport.compute(database); unavailable = nil } catch { report = nil; unavailable = "\(error)" }
    }

    public func build(_ context: ReportContext) throws -> ReportSection {
        var s = ReportSection(id: "kpis", title: "KPIs")
        guard let report else {
            s.text("No KPIs: \(unavailable ?? "unknown reason").")
            return s
        }
        s.text(report.windowText + ". The same figures as `keel kpis`.")
        for t in report.tables() {
            guard let rows = t.rows, let header = rows.first else {
                s.text("\(t.title): not available — \(t.reason ?? "no source").")
                continue
            }
            let columns = header.enumerated().map { ReportTable.Column($1, numeric: $0 > 0) }
            s.table(ReportTable(caption: t.title, columns: columns, rows: Array(rows.dropFirst())))
        }
        return s
    }
}
