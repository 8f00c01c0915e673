import KeelCore
import KeelStore

/// What every section builder reads from: one database snapshot, the master data by key, the
/// report's options, and a counter giving every chart a unique id.
public final class ReportContext {
    public struct Item: Sendable { public var sku: String; public var category: String; public var department: String; public var unitCost: Double }
    public struct Location: Sendable { public var id: String; public var type: String; public var region: String }

    public let reader: SnapshotReader
    public let options: ReportOptions
    public let items: [Int64: Item]
    public let locations: [Int64: Location]
    public let suppliers: [Int64: String]
    private var chartCount = 0
    private var panelCache: DemandPanel?

    init(reader: SnapshotReader, options: ReportOptions) throws {
        self.reader = reader
        self.options = options
        var items: [Int64: Item] = [:]
        for r in try reader.query("SELECT item_key, sku, category, department, unit_cost FROM items") {
            items[r[0].int ?? 0] = Item(sku: r[1].description, category: r[2].description, department: r[3].description, unitCost: r[4].double ?? 0)
        }
        var locations: [Int64: Location] = [:]
        for r in try reader.query("SELECT location_key, location_id, type, region FROM locations") {
            locations[r[0].int ?? 0] = Location(id: r[1].description, type: r[2].description, region: r[3].isNull ? "(no region)" : r[3].description)
        }
        var suppliers: [Int64: String] = [:]
        for r in try reader.query("SELECT supplier_key, supplier_id FROM suppliers") { suppliers[r[0].int ?? 0] = r[1].description }
        self.items = items; self.locations = locations; self.suppliers = suppliers
    }

    /// A fresh chart id (`chart-1`, `chart-2`, …), unique within the report.
    public func nextChartId() -> String {
        chartCount += 1
        return "chart-\(chartCount)"
    }

    /// The demand history, loaded once per report.
    public func demand() throws -> DemandPanel {
        if let panelCache { return panelCache }
        let p = try reader.demandPanel()
        panelCache = p
        return p
    }

    /// The latest run id present in a write-back table whose run succeeded (nil: no run yet).
    public func latestRun(in table: String) throws -> Int64? {
        try reader.scalar("SELECT MAX(t.run_id) FROM \(table) t JOIN runs r ON r.run_id = t.run_id WHERE r.status = 'succeeded'").int
    }
}
