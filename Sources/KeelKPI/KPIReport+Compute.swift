import KeelCore
import KeelStore

extension KPIReport {
    /// The default trailing window for rates, in days (`asOf − 27 … asOf`).
    public static let defaultWindowDays = 28

    /// Computes every KPI from one read-only snapshot of `database` (one read transaction: a run
    /// committing meanwhile is either wholly seen or not at all).
    ///
    /// - Parameters:
    ///   - asOf: the window end (default: the latest sales or returns day).
    ///   - windowDays: the trailing window's length (≥ 1).
    /// - Throws: `StoreError.invalid` for a window shorter than a day; `StoreError.notFound` when no
    ///   as-of is given and the database holds no sales or returns.
    public static func compute(_ database: KeelDatabase, asOf requested: Day? = nil,
                               windowDays: Int = KPIReport.defaultWindowDays) throws -> KPIReport {
        guard windowDays >= 1 else { throw StoreError.invalid("the KPI window must be at least 1 day (got \(windowDays))") }
        return try database.readSnapshot { reader in
            let latest = try reader.scalar("SELECT MAX(d) FROM (SELECT MAX(day) AS d FROM sales UNION ALL SELECT MAX(day) FROM returns)").int
            guard let asOf = requested ?? latest.map({ Day(rawValue: Int32($0)) }) else {
                throw StoreError.notFound("no sales or returns in the database, so there is no latest transaction day: import transactions or give --as-of")
            }
            let panel = try reader.demandPanel()
            let calc = KPICalculator(reader: reader, asOf: asOf, windowStart: asOf.adding(-(windowDays - 1)))
            return KPIReport(asOf: asOf, windowStart: calc.windowStart, windowDays: windowDays,
                             orders: try calc.orders(),
                             sourcingFill: try calc.sourcingFill(),
                             inventoryAccuracy: try calc.inventoryAccuracy(),
                             returns: try calc.returns(),
                             fulfilmentCost: try calc.fulfilmentCost(),
                             grossMargin: try calc.grossMargin(),
                             inStock: calc.inStock(panel),
                             forecastAccuracy: try calc.forecastAccuracy(panel),
                             openAnomalies: try calc.openAnomalies())
        }
    }
}
