import Foundation
import GRDB
import KeelCore
import KeelSourcing
import KeelStore
import KeelTestSupport
import Testing

/// Reservations on the fixture network (see `SourcingFixture` for the stock and rates).
@Suite struct ReservationTests {
    let folder: TemporaryDirectory
    let service: SourcingService

    init() throws {
        let (dir, db) = try SourcingFixture.database()
        folder = dir
        service = try SourcingService(database: db, asOf: SourcingFixture.asOf)
    }

    @Test func reserveMovesUnitsAndReplayGivesTheFirstAnswer() throws {
        let order = SourcingFixture.order("R1", [("A", 1), ("B", 1)])
        let first = try service.reserve(order, idempotencyKey: "k1")
        // Best plan: both lines from DC1 for 10 (see OrderOptimizerTests).
        #expect(first.status == "reserved" && Set(first.reservations.map(\.locationId)) == ["DC1"])
        #expect(abs(first.totalCost - 10) < 1e-9)
        #expect(try SourcingFixture.reserved(service.database) == ["DC1/A": 1, "DC1/B": 1])
        let replay = try service.reserve(order, idempotencyKey: "k1")
        #expect(replay == first)
        #expect(try SourcingFixture.reserved(service.database) == ["DC1/A": 1, "DC1/B": 1])
        // A second reserve of the same order with a new key is a conflict, and writes nothing.
        #expect(throws: SourcingError.self) { try service.reserve(order, idempotencyKey: "k2") }
        // A key reused for another order is a conflict.
        #expect(throws: SourcingError.self) { try service.reserve(SourcingFixture.order("R2", [("A", 1)]), idempotencyKey: "k1") }
        #expect(try SourcingFixture.reserved(service.database) == ["DC1/A": 1, "DC1/B": 1])
    }

    @Test func rejectReSourcesWithoutDoubleReservation() throws {
        let order = SourcingFixture.order("R3", [("A", 1), ("B", 1)])
        _ = try service.reserve(order, idempotencyKey: "r3-reserve")
        // DC1 refuses: both lines move. Without DC1: DC2 both = 10.5; S1 A + DC2 B = 9 + 9.5 = 18.5 → DC2.
        let after = try service.reject(orderId: "R3", locationId: "DC1", reason: "damaged stock", idempotencyKey: "r3-reject")
        #expect(Set(after.reservations.map(\.locationId)) == ["DC2"] && after.reservations.count == 2)
        #expect(abs(after.totalCost - 10.5) < 1e-9)
        #expect(try SourcingFixture.reserved(service.database) == ["DC2/A": 1, "DC2/B": 1])
        // Replaying the reject changes nothing and answers the same.
        #expect(try service.reject(orderId: "R3", locationId: "DC1", reason: "damaged stock", idempotencyKey: "r3-reject") == after)
        // DC2 refuses too: A can only come from S1 (9); B has no node left → unsourced.
        let again = try service.reject(orderId: "R3", locationId: "DC2", reason: "closed", idempotencyKey: "r3-reject-2")
        #expect(again.reservations.map(\.locationId) == ["S1"] && again.unsourced.map(\.sku) == ["B"])
        #expect(try SourcingFixture.reserved(service.database) == ["S1/A": 1])
    }

    @Test func cancelReleasesEverything() throws {
        _ = try service.reserve(SourcingFixture.order("R4", [("A", 2), ("H", 1)]), idempotencyKey: "r4")
        #expect(try !SourcingFixture.reserved(service.database).isEmpty)
        let c = try service.cancel(orderId: "R4", idempotencyKey: "r4-cancel")
        #expect(c.status == "cancelled" && c.reservations.isEmpty)
        #expect(try SourcingFixture.reserved(service.database).isEmpty)
        #expect(try service.cancel(orderId: "R4", idempotencyKey: "r4-cancel") == c)
        #expect(throws: SourcingError.self) { try service.cancel(orderId: "R4", idempotencyKey: "r4-cancel-2") }
        #expect(throws: SourcingError.self) { try service.cancel(orderId: "NOPE", idempotencyKey: "x") }
    }

    @Test func concurrentReservesOnAHotSkuNeverOversell() async throws {
        // H: 5 units, all at DC1. 40 tasks each reserve one unit (plus replays of every key).
        let service = self.service
        let outcomes = try await withThrowingTaskGroup(of: SourcingService.Outcome.self) { group in
            for i in 0..<40 {
                for _ in 0..<2 {  // every request sent twice with the same key
                    group.addTask { try service.reserve(SourcingFixture.order("H\(i)", [("H", 1)]), idempotencyKey: "hot-\(i)") }
                }
            }
            var all: [SourcingService.Outcome] = []
            for try await o in group { all.append(o) }
            return all
        }
        let byOrder = Dictionary(grouping: outcomes, by: \.orderId)
        #expect(byOrder.count == 40)
        for (_, pair) in byOrder { #expect(pair.count == 2 && pair[0] == pair[1]) }
        let served = byOrder.values.filter { !$0[0].reservations.isEmpty }.count
        #expect(served == 5)
        #expect(try SourcingFixture.reserved(service.database) == ["DC1/H": 5])
        let heldRows = try await service.database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM reservations") }
        #expect(heldRows == 5)
    }

    @Test func mixedConcurrentReserveRejectCancelKeepTheLedgerConsistent() async throws {
        // 30 orders on the hot SKU H (5 units at DC1) and on A, each reserved, then (concurrently
        // with the others) rejected at DC1 or cancelled, every request sent twice. Afterwards:
        // reserved per (node, sku) equals the sum of the reservation rows, available-to-sell is
        // never negative (checked in `reserved`), each replay answered as the first time, and no
        // cancelled order holds anything.
        let service = self.service
        let results = try await withThrowingTaskGroup(of: (String, SourcingService.Outcome?).self) { group in
            for i in 0..<30 {
                group.addTask {
                    let order = SourcingFixture.order("M\(i)", [("H", 1), ("A", Double(1 + i % 2))])
                    let a = try service.reserve(order, idempotencyKey: "m-\(i)")
                    let b = try service.reserve(order, idempotencyKey: "m-\(i)")
                    guard a == b else { return ("replay-mismatch M\(i)", nil) }
                    let op: SourcingService.Outcome
                    if i % 3 == 0 {
                        op = try service.cancel(orderId: "M\(i)", idempotencyKey: "m-\(i)-x")
                        guard try service.cancel(orderId: "M\(i)", idempotencyKey: "m-\(i)-x") == op else { return ("replay-mismatch M\(i)", nil) }
                    } else {
                        op = try service.reject(orderId: "M\(i)", locationId: "DC1", reason: "busy", idempotencyKey: "m-\(i)-x")
                        guard try service.reject(orderId: "M\(i)", locationId: "DC1", reason: "busy", idempotencyKey: "m-\(i)-x") == op else {
                            return ("replay-mismatch M\(i)", nil)
                        }
                    }
                    return ("M\(i)", op)
                }
            }
            var all: [(String, SourcingService.Outcome?)] = []
            for try await r in group { all.append(r) }
            return all
        }
        #expect(results.allSatisfy { $0.1 != nil })
        for (_, o) in results {
            guard let o else { continue }
            if o.status == "cancelled" { #expect(o.reservations.isEmpty) } else { #expect(!o.reservations.contains { $0.locationId == "DC1" }) }
        }
        let mismatches = try await service.database.pool.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM inventory_positions p
                    WHERE ABS(p.reserved - IFNULL((SELECT SUM(qty) FROM reservations r WHERE r.location_key = p.location_key AND r.item_key = p.item_key), 0)) > 1e-9
                    """)
        }
        #expect(mismatches == 0)
        let reserved = try SourcingFixture.reserved(service.database)
        // H lives only at DC1 and every order rejected DC1 or was cancelled: no H is held.
        #expect(reserved["DC1/H"] == nil)
    }

    /// Sourcing ships on the as-of date: a reserved line uses its ship day's capacity only.
    @Test func reservationsUseTheCapacityOfTheirShipDayOnly() throws {
        _ = try service.reserve(SourcingFixture.order("C1", [("A", 1), ("B", 1)]), idempotencyKey: "cap-1")
        let day = SourcingFixture.asOf
        let (today, tomorrow, shipDays) = try service.database.withReservationTransaction { ledger in
            (try ledger.usedCapacity(day: day), try ledger.usedCapacity(day: day.adding(1)), try ledger.reservations(orderId: "C1").map(\.shipDay))
        }
        let dc1 = try #require(try service.database.pool.read { try Int64.fetchOne($0, sql: "SELECT location_key FROM locations WHERE location_id = 'DC1'") })
        #expect(shipDays == [day, day])
        #expect(today[dc1] == 2, "\(today)")
        #expect(tomorrow[dc1] == nil, "\(tomorrow)")
        // A line reserved before ship days were recorded (NULL) counts against every day.
        try service.database.pool.write { try $0.execute(sql: "UPDATE reservations SET ship_day = NULL WHERE order_id = 'C1' AND line = 1") }
        let later = try service.database.withReservationTransaction { try $0.usedCapacity(day: day.adding(5)) }
        #expect(later[dc1] == 1, "\(later)")
    }

    @Test func aNewInventorySnapshotKeepsActiveReservations() throws {
        // Three orders hold 1 + 1 + 1 units of H at DC1 (5 on hand); R6 is then cancelled → 2 held.
        for i in 5...7 { _ = try service.reserve(SourcingFixture.order("R\(i)", [("H", 1)]), idempotencyKey: "snap-\(i)") }
        _ = try service.cancel(orderId: "R6", idempotencyKey: "snap-6-x")
        #expect(try SourcingFixture.reserved(service.database) == ["DC1/H": 2])
        // A stock count on 03-02: DC1/H on hand 8, of which the source system holds 1 itself.
        let more = TemporaryDirectory("keel-reimport")
        more.write("inventory.csv", "location_id,sku,on_hand,in_transit,reserved,damaged,as_of\nDC1,H,8,0,1,0,2026-03-02\n")
        try service.database.importFiles([more.file("inventory.csv")])
        // On hand from the count (8); reserved = the file's 1 + the router's 2 active units; ATS 8 − 3 = 5.
        let row = try service.database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT on_hand, reserved, available_to_sell FROM v_available_to_sell WHERE location_id = 'DC1' AND sku = 'H'")
        }
        let r = try #require(row)
        #expect((r[0] as Double) == 8 && (r[1] as Double) == 3 && (r[2] as Double) == 5)
        // Exactly 5 more units can be reserved; the sixth order finds nothing.
        var served = 0
        for i in 0..<6 {
            let o = try service.reserve(SourcingFixture.order("RS\(i)", [("H", 1)]), idempotencyKey: "snap-more-\(i)")
            if !o.reservations.isEmpty { served += 1 }
        }
        #expect(served == 5)
        #expect(try SourcingFixture.reserved(service.database) == ["DC1/H": 8])
        // Cancelling an order held before the count releases its unit against the new position.
        _ = try service.cancel(orderId: "R5", idempotencyKey: "snap-5-x")
        #expect(try SourcingFixture.reserved(service.database) == ["DC1/H": 7])
    }
}
