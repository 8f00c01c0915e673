import Foundation
import GRDB
import KeelCore
import KeelSourcing
import KeelStore
import KeelTestSupport
import Testing

/// `KeelDatabase.currentAvailability` (the router's read on `StockReader`'s own connections)
/// against plain SQL through GRDB, before and after reservations committed by the writer.
@Suite struct StockReaderTests {
    /// Available-to-sell (> 0) by item/location key and capacity used on `day`, in plain SQL.
    static func expected(_ db: KeelDatabase, day: Day) throws -> (stock: [String: Double], used: [Int64: Double], run: Int64?) {
        try db.pool.read { d in
            var stock: [String: Double] = [:]
            for r in try Row.fetchAll(d, sql: "SELECT item_key, location_key, on_hand - reserved - damaged AS a FROM inventory_positions") {
                let a: Double = r["a"]
                if a > 0 { stock["\(r["item_key"] as Int64)/\(r["location_key"] as Int64)"] = a }
            }
            var used: [Int64: Double] = [:]
            for r in try Row.fetchAll(d, sql: "SELECT location_key, qty FROM reservations WHERE ship_day = ? OR ship_day IS NULL", arguments: [Int(day.rawValue)]) {
                used[r[0], default: 0] += r[1]
            }
            for r in try Row.fetchAll(
                d, sql: "SELECT location_key, qty FROM orders WHERE status = 'released' AND location_key IS NOT NULL AND created_day = ?",
                arguments: [Int(day.rawValue)])
            {
                used[r[0], default: 0] += r[1]
            }
            let run = try Int64.fetchOne(d, sql: "SELECT MAX(run_id) FROM runs WHERE kind = 'import' AND status = 'succeeded'")
            return (stock, used, run)
        }
    }

    static func read(_ db: KeelDatabase, day: Day) throws -> (stock: [String: Double], used: [Int64: Double], run: Int64?) {
        let items = try db.pool.read { try Int64.fetchAll($0, sql: "SELECT item_key FROM items") }
        let now = try db.currentAvailability(itemKeys: items + items.prefix(1), day: day)  // a repeated key is read once
        var stock: [String: Double] = [:]
        for s in now.stock {
            #expect(stock["\(s.itemKey)/\(s.locationKey)"] == nil, "a position read twice")
            stock["\(s.itemKey)/\(s.locationKey)"] = s.availableToSell
        }
        return (stock, now.usedCapacity, now.importRun)
    }

    @Test func readsWhatPlainSQLReadsAndSeesEachCommitAtOnce() throws {
        let (dir, db) = try SourcingFixture.database(withOrders: true)
        _ = dir
        let service = try SourcingService(database: db, asOf: SourcingFixture.asOf)
        let day = SourcingFixture.asOf
        var before = try Self.read(db, day: day)
        let first = try Self.expected(db, day: day)
        #expect(before.stock == first.stock && !before.stock.isEmpty)
        #expect(before.used == first.used)
        #expect(before.run != nil && before.run == first.run)
        // Reservations commit on the writer; each following read (same reader connections) sees them.
        for (i, lines) in [[("A", 1.0), ("B", 1.0)], [("A", 2.0)], [("B", 1.0)]].enumerated() {
            let r = try service.reserve(SourcingFixture.order("SR\(i)", lines), idempotencyKey: "sr-\(i)")
            #expect(r.status == "reserved")
            let after = try Self.read(db, day: day)
            let want = try Self.expected(db, day: day)
            #expect(after.stock == want.stock && after.used == want.used, "after reservation \(i)")
            #expect(after.stock != before.stock && after.used.values.reduce(0, +) > before.used.values.reduce(0, +))
            before = after
        }
        // The capacity of a day with no reservations or released orders is empty.
        #expect(try db.currentAvailability(itemKeys: [], day: day.adding(400)).usedCapacity.isEmpty)
    }

    @Test func readsFromManyThreadsAtOnce() async throws {
        let (dir, db) = try SourcingFixture.database()
        _ = dir
        let want = try Self.expected(db, day: SourcingFixture.asOf)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    for _ in 0..<50 where try Self.read(db, day: SourcingFixture.asOf).stock != want.stock { return false }
                    return true
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }
}
