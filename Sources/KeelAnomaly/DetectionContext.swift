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
    /// The shared data loaded for the detectors of this run.
    let inputs: DetectionInputs
    private var loadedSales = SalesColumns()
    private var loadedPanel = DemandPanel()
    /// Every sales line (all days: each detector applies the as-of day itself); only when a
    /// detector of the run declares `.sales`.
    var sales: SalesColumns {
        precondition(inputs.contains(.sales), "a detector read the sales lines without declaring .sales in its inputs")
        return loadedSales
    }
    /// The packed demand history; only when a detector of the run declares `.panel`.
    var panel: DemandPanel {
        precondition(inputs.contains(.panel), "a detector read the demand history without declaring .panel in its inputs")
        return loadedPanel
    }
    /// Seconds spent loading the shared data, by phase.
    var loadSeconds: [String: Double] = [:]

    init(db: Database, asOf: Day, configuration: AnomalyConfiguration, inputs: DetectionInputs = [.sales, .panel]) throws {
        self.db = db
        self.asOf = asOf
        self.configuration = configuration
        self.inputs = inputs
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
        if inputs.contains(.sales) {
            let t0 = ContinuousClock.now
            loadedSales = try SalesColumns.load(db)
            loadSeconds["load sales lines"] = (ContinuousClock.now - t0).seconds
        }
        if inputs.contains(.panel) {
            let t0 = ContinuousClock.now
            loadedPanel = try DemandPanel.load(db)
            loadSeconds["load demand history"] = (ContinuousClock.now - t0).seconds
        }
    }

    /// The as-of day as the sales columns store days.
    var asOfDay: Int32 { asOf.rawValue }

    var day: Int64 { Int64(asOf.rawValue) }

    func severity(_ amount: Double) -> Severity { configuration.severity(amount) }
}

/// The shared data a detector reads from the context (loaded only when a detector of the run needs it).
struct DetectionInputs: OptionSet {
    let rawValue: UInt8
    /// `DetectionContext.sales`: every sales line as columns.
    static let sales = DetectionInputs(rawValue: 1)
    /// `DetectionContext.panel`: the packed demand history.
    static let panel = DetectionInputs(rawValue: 2)
}

/// One detector family: reads through the context and appends findings.
protocol AnomalyDetector {
    /// The kinds this detector can report.
    static var kinds: [AnomalyKind] { get }
    /// The shared data it reads.
    static var inputs: DetectionInputs { get }
    static func detect(_ context: DetectionContext, into findings: inout [AnomalyFinding]) throws
}
