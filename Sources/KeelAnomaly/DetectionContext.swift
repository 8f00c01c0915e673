import GRDB
import KeelCore
import KeelStore

/// What every detector reads: the database inside the run's transaction, the as-of day, the
/// configuration, the master data by integer key, and the data every detector shares, read once:
/// the sales lines as columns (`SalesColumns`) and the packed demand history (`DemandPanel`).
struct DetectionContext {
    let db: Database
    let asOf: Day
    let configuration: AnomalyConfiguration
    /// items by `item_key` (dense arrays; keys are small integers).
    var itemCost: [Double] = []
    var itemCategory: [String] = []
    var itemSku: [String] = []
    var locationId: [String] = []
    /// Every sales line (all days: each detector applies the as-of day itself).
    var sales = SalesColumns()
    var panel = DemandPanel()
    /// Seconds spent loading the shared data, by phase.
    var loadSeconds: [String: Double] = [:]

    init(db: Database, asOf: Day, configuration: AnomalyConfiguration) throws {
        self.db = db
        self.asOf = asOf
        self.configuration = configuration
        let maxItem = try Int.fetchOne(db, sql: "SELECT IFNULL(MAX(item_key), 0) FROM items") ?? 0
        itemCost = Array(repeating: 0, count: maxItem + 1)
        itemCategory = Array(repeating: "", count: maxItem + 1)
        itemSku = Array(repeating: "", count: maxItem + 1)
        let items = try Row.fetchCursor(db, sql: "SELECT item_key, unit_cost, category, sku FROM items")
        while let r = try items.next() {
            let k: Int = r[0]
            itemCost[k] = r[1]; itemCategory[k] = r[2]; itemSku[k] = r[3]
        }
        let maxLocation = try Int.fetchOne(db, sql: "SELECT IFNULL(MAX(location_key), 0) FROM locations") ?? 0
        locationId = Array(repeating: "", count: maxLocation + 1)
        let locations = try Row.fetchCursor(db, sql: "SELECT location_key, location_id FROM locations")
        while let r = try locations.next() { locationId[r[0] as Int] = r[1] }
        var t0 = ContinuousClock.now
        sales = try SalesColumns.load(db)
        loadSeconds["load sales lines"] = (ContinuousClock.now - t0).seconds
        t0 = ContinuousClock.now
        panel = try DemandPanel.load(db)
        loadSeconds["load demand history"] = (ContinuousClock.now - t0).seconds
    }

    /// The as-of day as the sales columns store days.
    var asOfDay: Int32 { asOf.rawValue }

    var day: Int64 { Int64(asOf.rawValue) }

    func severity(_ amount: Double) -> Severity { configuration.severity(amount) }
}

/// One detector family: reads through the context and appends findings.
protocol AnomalyDetector {
    /// The kinds this detector can report.
    static var kinds: [AnomalyKind] { get }
    static func detect(_ context: DetectionContext, into findings: inout [AnomalyFinding]) throws
}
