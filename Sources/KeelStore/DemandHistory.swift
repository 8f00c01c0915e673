import GRDB
import KeelCore

/// Gross demand per (channel, location, sku, day), packed one row per series.
///
/// Each `demand_series` row holds three little-endian arrays over `start_day …` the history's
/// end day (the latest sales day in the database; every series is extended to it, so all series
/// of a panel end on the same day):
/// - `units`  Float32 — gross units sold that day (returns are not netted; a day with no sale is 0);
/// - `price`  Float32 — average price paid, Σ(qty × unit_price − discount) / Σ qty (NaN when none sold);
/// - `flags`  UInt8   — bit 0 `promo` (a line carried a promo_id), bit 1 `stockout` (the location had no
///   available stock, on_hand − reserved − damaged ≤ 0, at the end of that day, so the day's demand is
///   censored: a missing value for forecasting, not a zero).
///
/// The stock on a day is the latest inventory snapshot at or before it (a step function of the
/// snapshots); days before a pair's first snapshot are not flagged.
///
/// Refresh is incremental: an import merges only its own lines into the series they touch (the sums
/// are additive), extends every series when the history's end day moves, and recomputes stockout
/// flags for pairs whose snapshots changed. Loading is a sequential read of the blobs.
public enum DemandHistory {
    public static let promoFlag: UInt8 = 1
    public static let stockoutFlag: UInt8 = 2

    /// The history's last day (nil before any sale was imported).
    public static func endDay(_ db: Database) throws -> Day? {
        try Int.fetchOne(db, sql: "SELECT value FROM keel_meta WHERE key = 'demand_end_day'").map { Day(rawValue: Int32($0)) }
    }

    /// Merges an import's sales into the packed series and recomputes stockout flags.
    /// - Parameters:
    ///   - accumulator: the import's sales, summed per series-day.
    ///   - stockPairs: (location_key << 24 | item_key) of pairs whose snapshots changed.
    /// - Returns: the number of series rewritten.
    static func refresh(_ db: Database, accumulator: DemandAccumulator, stockPairs: Set<UInt64>) throws -> Int {
        let oldEnd = try endDay(db)?.rawValue
        var newEnd = oldEnd ?? Int32.min
        if accumulator.maxDay > newEnd { newEnd = accumulator.maxDay }
        guard newEnd != Int32.min else { return 0 }
        let extend = oldEnd.map { newEnd > $0 } ?? true

        // Existing series: key → (id, start).
        var existing: [UInt64: (id: Int64, start: Int32, count: Int)] = [:]
        let list = try RawStatement(db, "SELECT series_id, channel, location_key, item_key, start_day, day_count FROM demand_series")
        while try list.step() {
            guard let ch = list.text(1).flatMap(Channel.init(rawValue:)) else {
                throw StoreError.invalid("demand series \(list.int64(0)) has an unknown channel '\(list.text(1) ?? "")'")
            }
            let key = DemandAccumulator.seriesKey(channel: ch.code, location: list.int64(2), item: list.int64(3))
            existing[key] = (list.int64(0), Int32(list.int64(4)), Int(list.int64(5)))
        }

        let groups = accumulator.grouped()
        var touched: [UInt64: Int] = [:]  // series key → index in groups
        for (i, g) in groups.enumerated() { touched[g.series] = i }

        // Which series to rewrite, in a deterministic order.
        var todo = Set(touched.keys)
        for (key, _) in existing {
            let (_, loc, item) = DemandAccumulator.decode(series: key)
            if extend || stockPairs.contains(UInt64(loc) << 24 | UInt64(item)) { todo.insert(key) }
        }
        let order = todo.sorted()

        let read = try RawStatement(db, "SELECT units, price, flags FROM demand_series WHERE series_id = ?")
        let snapshots = try RawStatement(db, """
            SELECT as_of, on_hand - reserved - damaged FROM inventory_snapshots
            WHERE location_key = ? AND item_key = ? ORDER BY as_of
            """)
        let write = try RawStatement(db, """
            INSERT INTO demand_series(series_id, channel, location_key, item_key, start_day, day_count, units, price, flags)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(channel, location_key, item_key) DO UPDATE SET
              start_day = excluded.start_day, day_count = excluded.day_count,
              units = excluded.units, price = excluded.price, flags = excluded.flags
            """)
        var units: [Float] = [], price: [Float] = [], flags: [UInt8] = []
        for key in order {
            let (channelCode, loc, item) = DemandAccumulator.decode(series: key)
            let old = existing[key]
            let added = touched[key].map { groups[$0].days } ?? []
            var start = old?.start ?? Int32.max
            if let first = added.first?.day, first < start { start = first }
            let count = Int(newEnd - start) + 1
            units.removeAll(keepingCapacity: true); units.append(contentsOf: repeatElement(0, count: count))
            price.removeAll(keepingCapacity: true); price.append(contentsOf: repeatElement(.nan, count: count))
            flags.removeAll(keepingCapacity: true); flags.append(contentsOf: repeatElement(0, count: count))
            if let old {
                read.reset(); read.bind(1, old.id)
                if try read.step() {
                    let shift = Int(old.start - start)
                    let n = min(old.count, count - shift)
                    copy(read.blob(0), into: &units, at: shift, count: n)
                    copy(read.blob(1), into: &price, at: shift, count: n)
                    let f = read.blob(2)
                    for i in 0..<min(n, f.count) { flags[shift + i] = f[i] & ~stockoutFlag }
                }
            }
            for (day, cell) in added {
                let i = Int(day - start)
                let oldUnits = Double(units[i])
                let oldRevenue = price[i].isNaN ? 0 : Double(price[i]) * oldUnits
                let totalUnits = oldUnits + cell.units
                units[i] = Float(totalUnits)
                price[i] = totalUnits > 0 ? Float((oldRevenue + cell.revenue) / totalUnits) : .nan
                if cell.promo { flags[i] |= promoFlag }
            }
            // Stockout flags from the snapshot step function.
            snapshots.reset(); snapshots.bind(1, loc); snapshots.bind(2, item)
            var currentOut = false
            var nextDay: Int32? = nil, nextOut = false
            if try snapshots.step() { nextDay = Int32(snapshots.int64(0)); nextOut = snapshots.double(1) <= 0 }
            for i in 0..<count {
                let d = start + Int32(i)
                while let nd = nextDay, nd <= d {
                    currentOut = nextOut
                    if try snapshots.step() { nextDay = Int32(snapshots.int64(0)); nextOut = snapshots.double(1) <= 0 } else { nextDay = nil }
                }
                if currentOut { flags[i] |= stockoutFlag }
            }
            write.reset()
            if let old { write.bind(1, old.id) } else { write.bindNull(1) }
            write.bind(2, Channel(code: channelCode)!.rawValue)
            write.bind(3, loc); write.bind(4, item)
            write.bind(5, Int64(start)); write.bind(6, Int64(count))
            units.withUnsafeBytes { write.bind(7, blob: $0) }
            price.withUnsafeBytes { write.bind(8, blob: $0) }
            flags.withUnsafeBytes { write.bind(9, blob: $0) }
            try write.step()
        }
        try db.execute(sql: "INSERT INTO keel_meta(key, value) VALUES ('demand_end_day', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [Int(newEnd)])
        return order.count
    }

    private static func copy<T>(_ bytes: UnsafeRawBufferPointer, into array: inout [T], at offset: Int, count: Int) {
        let n = min(count, bytes.count / MemoryLayout<T>.stride)
        guard n > 0 else { return }
        array.withUnsafeMutableBytes { dst in
            dst.baseAddress!.advanced(by: offset * MemoryLayout<T>.stride)
                .copyMemory(from: bytes.baseAddress!, byteCount: n * MemoryLayout<T>.stride)
        }
    }

    /// Writes one whole series directly (benchmarks and tests build large histories this way).
    public static func writeSeries(_ db: Database, channel: Channel, locationKey: Int64, itemKey: Int64, start: Day,
                                   units: [Float], price: [Float], flags: [UInt8]) throws {
        precondition(units.count == price.count && units.count == flags.count && !units.isEmpty)
        let write = try RawStatement(db, """
            INSERT OR REPLACE INTO demand_series(channel, location_key, item_key, start_day, day_count, units, price, flags)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        write.bind(1, channel.rawValue); write.bind(2, locationKey); write.bind(3, itemKey)
        write.bind(4, Int64(start.rawValue)); write.bind(5, Int64(units.count))
        units.withUnsafeBytes { write.bind(6, blob: $0) }
        price.withUnsafeBytes { write.bind(7, blob: $0) }
        flags.withUnsafeBytes { write.bind(8, blob: $0) }
        try write.step()
        let end = Int(start.rawValue) + units.count - 1
        try db.execute(sql: """
            INSERT INTO keel_meta(key, value) VALUES ('demand_end_day', ?)
            ON CONFLICT(key) DO UPDATE SET value = MAX(value, excluded.value)
            """, arguments: [end])
    }
}
