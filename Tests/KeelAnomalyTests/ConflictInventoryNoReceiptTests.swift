import Foundation
import GRDB
import KeelAnomaly
import KeelCore
import KeelStore
import KeelTestSupport
import Testing

/// Hand-made cases for channel price conflicts, negative available stock and no-receipt returns.
@Suite struct ConflictInventoryNoReceiptTests {
    func database(_ dir: TemporaryDirectory) throws -> KeelDatabase {
        _ = dir.write("items.csv", "sku,category,department,unit_cost,unit_price\nA,Toys,Kids,6.00,10.00\n")
        _ = dir.write("locations.csv", "location_id,type,latitude,longitude\nS1,store,0,0\nS2,store,0,0\n")
        // The web price is 12.00 on 01-04 and 01-05 (a later start wins), 10.00 elsewhere and on store.
        _ = dir.write(
            "prices.csv",
            """
            sku,channel,location_id,price,start_date,end_date
            A,store,,10.00,2025-01-01,
            A,web,,10.00,2025-01-01,
            A,web,,12.00,2025-01-04,2025-01-05
            """)
        _ = dir.write(
            "sales.csv",
            """
            transaction_id,line,timestamp,channel,location_id,sku,qty,unit_price,discount,promo_id,customer_id,tender,order_id,cashier_id
            T1,1,2025-01-02T10:00:00Z,store,S1,A,1,10.00,,,,cash,,K1
            T2,1,2025-01-04T10:00:00Z,web,S1,A,2,12.00,,,,cash,,
            T3,1,2025-01-06T10:00:00Z,store,S2,A,1,10.00,,,,cash,,K2
            """)
        // S1: 2 on hand, 2 reserved, 1 damaged → −1 available. S2: 3 − 2 − 1 = 0 (a near miss).
        _ = dir.write(
            "inventory.csv",
            """
            location_id,sku,on_hand,in_transit,reserved,damaged,as_of
            S1,A,2,0,2,1,2025-01-03
            S2,A,3,0,2,1,2025-01-03
            """)
        // No-receipt returns: X three times (repeats ≥ 3 fire), Y once at the same value (a near miss).
        _ = dir.write(
            "returns.csv",
            """
            return_id,timestamp,original_transaction_id,sku,qty,refund_amount,channel,location_id,reason_code,disposition,tender,cashier_id,customer_id
            R1,2025-01-05T10:00:00Z,,A,1,10.00,store,S1,size,restock,cash,K1,X
            R2,2025-01-05T11:00:00Z,,A,1,10.00,store,S1,size,restock,cash,K1,X
            R3,2025-01-06T10:00:00Z,,A,1,10.00,store,S1,size,restock,cash,K1,X
            R4,2025-01-06T11:00:00Z,,A,1,10.00,store,S2,size,restock,cash,K2,Y
            """)
        let db = try KeelDatabase(path: dir.path + "/keel.sqlite")
        _ = try db.importFiles([dir.path])
        return db
    }

    @Test func conflictsNegativeStockAndRepeatedNoReceiptReturns() throws {
        let dir = TemporaryDirectory("anomaly-hand-2")
        let db = try database(dir)
        let summary = try AnomalyDetection.run(db)
        #expect(summary.asOf == Day("2025-01-06"))
        let rows = try db.pool.read { d in
            try Row.fetchAll(
                d,
                sql: """
                    SELECT a.kind, date(a.day * 86400, 'unixepoch'), a.channel, a.amount_at_risk, a.return_id, l.location_id
                    FROM anomalies a LEFT JOIN locations l ON l.location_key = a.location_key ORDER BY a.kind, a.day, a.return_id
                    """)
        }
        let conflicts = rows.filter { ($0[0] as String) == "channel_price_conflict" }
        // One per sku and day: 01-04 and 01-05, on web; 01-04 had 2 web units × 2.00 = 4.00, 01-05 none.
        #expect(conflicts.map { $0[1] as String } == ["2025-01-04", "2025-01-05"])
        #expect(conflicts.allSatisfy { ($0[2] as String) == "web" })
        #expect(conflicts.map { $0[3] as Double } == [4, 0])
        // T2 was charged the web list price of its day: no override.
        #expect(!rows.contains { ($0[0] as String) == "price_override" })
        let inventory = rows.filter { ($0[0] as String) == "inventory_mismatch" }
        // S1: shortfall 1 × unit cost 6.00; S2 (0 available) is not negative.
        #expect(inventory.count == 1)
        #expect(inventory.first.map { $0[5] as String } == "S1")
        #expect(inventory.first.map { $0[3] as Double } == 6)
        let noReceipt = rows.filter { ($0[0] as String) == "refund_without_sale" }
        #expect(noReceipt.map { $0[4] as String } == ["R1", "R2", "R3"])
        #expect(noReceipt.allSatisfy { ($0[3] as Double) == 10 })
    }
}
