import Foundation
import KeelCore
import KeelStore

/// Builds the report of a database from one snapshot: the sections in order, each from its
/// builder. Reads only; writes nothing to the database.
public enum ReportBuilder {
    /// The sections of `keel report`, in order.
    public static let standardSections: [any ReportSectionBuilder] = [
        OverviewSection(), ForecastSection(), AccuracySection(), InventorySection(), MarginSection(),
        ReplenishmentSection(), TransferSection(), SourcingSection(), AnomalySection(),
    ]

    /// The sections of `keel report` and `keel demo`: the standard sections with the KPIs of
    /// `database` after the overview.
    public static func sections(withKPIsOf database: KeelDatabase) -> [any ReportSectionBuilder] {
        var all = standardSections
        all.insert(KPISection(database), at: 1)
        return all
    }

    /// The finance report of `keel anomalies --report`: the exception queue (money at risk by kind,
    /// location, channel and cashier, the weekly trend, the top cases with their evidence), gross
    /// margin by channel and fulfilment path, and sales and returns by channel with return rates.
    public static let financeSections: [any ReportSectionBuilder] = [AnomalySection(), MarginSection(), InventorySection()]

    public static func build(_ db: KeelDatabase, options: ReportOptions = ReportOptions(),
                             sections: [any ReportSectionBuilder] = standardSections, title: String = "Keel report") throws -> ReportDocument {
        try db.readSnapshot { reader in
            if let id = options.forecastRunId {
                guard try reader.scalar("SELECT kind FROM runs WHERE run_id = ?", [.integer(id)]) != .null else {
                    throw StoreError.notFound("no run with id \(id)")
                }
                guard try reader.scalar("SELECT COUNT(*) FROM runs WHERE run_id = ? AND kind = 'forecast' AND status = 'succeeded'", [.integer(id)]).int == 1 else {
                    throw StoreError.invalid("run \(id) is not a successful forecast run")
                }
            }
            let context = try ReportContext(reader: reader, options: options)
            let built = try sections.map { try $0.build(context) }
            let name = (db.path as NSString).lastPathComponent
            return ReportDocument(title: "\(title) — \(name)", subtitle: "Database \(db.path); built from one snapshot by keel.", sections: built)
        }
    }
}
