import GRDB
import KeelCore

/// Every demand series of the database in contiguous buffers, laid out for the kernels.
///
/// Series `s` occupies `offsets[s] ..< offsets[s + 1]` of `units`, `price` and `flags`; its
/// first day is `starts[s]` and all series end on `endDay`. (The panel layout of statsforecast's
/// `GroupedArray`: one values buffer plus offsets, no per-series allocation.)
public struct DemandPanel: Sendable {
    public struct Key: Hashable, Sendable {
        public var seriesId: Int64
        public var channel: Channel
        public var locationKey: Int64
        public var itemKey: Int64
    }

    public var keys: [Key] = []
    public var starts: [Day] = []
    public var offsets: [Int] = [0]
    public var units: [Float] = []
    public var price: [Float] = []
    public var flags: [UInt8] = []
    public var endDay: Day?

    public var count: Int { keys.count }

    public init() {}

    /// The days of series `s` as a range into the buffers.
    public func range(_ s: Int) -> Range<Int> { offsets[s]..<offsets[s + 1] }

    /// Whether day `i` (absolute buffer index) is censored by a stockout.
    @inlinable public func isStockout(_ i: Int) -> Bool { flags[i] & DemandHistory.stockoutFlag != 0 }

    /// Loads every series (ordered by series id). Reads each packed blob straight into the buffers:
    /// O(total days) time, 9 bytes per series-day.
    public static func load(_ db: Database) throws -> DemandPanel {
        var panel = DemandPanel()
        panel.endDay = try DemandHistory.endDay(db)
        let totals = try Row.fetchOne(db, sql: "SELECT COUNT(*), IFNULL(SUM(day_count), 0) FROM demand_series")!
        let seriesCount: Int = totals[0], dayCount: Int = totals[1]
        panel.keys.reserveCapacity(seriesCount)
        panel.starts.reserveCapacity(seriesCount)
        panel.offsets.reserveCapacity(seriesCount + 1)
        panel.units = [Float](repeating: 0, count: dayCount)
        panel.price = [Float](repeating: 0, count: dayCount)
        panel.flags = [UInt8](repeating: 0, count: dayCount)
        let stmt = try RawStatement(db, """
            SELECT series_id, channel, location_key, item_key, start_day, day_count, units, price, flags
            FROM demand_series ORDER BY series_id
            """)
        var offset = 0
        try panel.units.withUnsafeMutableBytes { u in
            try panel.price.withUnsafeMutableBytes { p in
                try panel.flags.withUnsafeMutableBytes { f in
                    while try stmt.step() {
                        let n = Int(stmt.int64(5))
                        guard offset + n <= dayCount else { throw StoreError.invalid("demand_series changed while loading") }
                        let ub = stmt.blob(6), pb = stmt.blob(7), fb = stmt.blob(8)
                        guard ub.count == 4 * n, pb.count == 4 * n, fb.count == n else {
                            throw StoreError.invalid("demand series \(stmt.int64(0)) is corrupt: blob sizes do not match day_count \(n)")
                        }
                        u.baseAddress!.advanced(by: 4 * offset).copyMemory(from: ub.baseAddress!, byteCount: ub.count)
                        p.baseAddress!.advanced(by: 4 * offset).copyMemory(from: pb.baseAddress!, byteCount: pb.count)
                        f.baseAddress!.advanced(by: offset).copyMemory(from: fb.baseAddress!, byteCount: fb.count)
                        offset += n
                        guard let channel = Channel(rawValue: stmt.text(1) ?? "") else {
                            throw StoreError.invalid("demand series \(stmt.int64(0)) has an unknown channel '\(stmt.text(1) ?? "")'")
                        }
                        panel.keys.append(Key(seriesId: stmt.int64(0), channel: channel, locationKey: stmt.int64(2), itemKey: stmt.int64(3)))
                        panel.starts.append(Day(rawValue: Int32(stmt.int64(4))))
                        panel.offsets.append(offset)
                    }
                }
            }
        }
        return panel
    }
}
