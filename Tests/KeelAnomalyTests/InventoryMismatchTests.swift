import Foundation
import GRDB
import KeelAnomaly
import KeelCore
import KeelStore
import KeelTestSupport
import Testing

/// Hand-made stock cases: an unexplained drop between counts and a sale with nothing on hand,
/// each beside a near miss that sales or a transfer explain.
@Suite struct InventoryMismatchTests {
    @Test func unexplainedDropAndSaleWithoutStock() throws {
        let dir = TemporaryDirectory("anomaly-inventory")
        _ = dir.write("items.csv", "sku,category,department,unit_cost,unit_price\nA,Toys,Kids,6.00,10.00\n")
        _ = dir.write(
            "locations.csv",
            """
            location_id,type,latitude,longitude
            S1,store,0,0
            S2,store,0,0
            S3,store,0,0
            S4,store,0,0
            S5,store,0,0
            """)
        _ = dir.write("prices.csv", "sku,channel,location_id,price,start_date,end_date\nA,store,,10.00,2025-01-01,\n")
        // S1: 10 → 2 with 2 sold: 6 units unexplained (≥ max(3, 25% × 10)). S2: 10 → 7 with 2 sold: 1 (a near miss).
        // S3: nothing on hand on 01-02, a sale on 01-04 with nothing arriving. S4: the same, but a transfer arrived 01-03.
        _ = dir.write(
            "inventory.csv",
            """
            location_id,sku,on_hand,in_transit,reserved,damaged,as_of
            S1,A,10,0,0,0,2025-01-02
            S1,A,2,0,0,0,2025-01-05
            S2,A,10,0,0,0,2025-01-02
            S2,A,7,0,0,0,2025-01-05
            S3,A,0,0,0,0,2025-01-02
            S4,A,0,0,0,0,2025-01-02
            """)
        _ = dir.write(
            "transfers.csv",
            """
            transfer_id,from_location_id,to_location_id,sku,qty,shipped_at,received_at
            X1,S5,S4,A,3,2025-01-02,2025-01-03
            """)
        _ = dir.write(
            "sales.csv",
            """
            transaction_id,line,timestamp,channel,location_id,sku,qty,unit_price,discount,promo_id,customer_id,tender,order_id,cashier_id
            T1,1,2025-01-03T10:00:00Z,store,S1,A,2,10.00,,,,cash,,K1
            T2,1,2025-01-03T10:00:00Z,store,S2,A,2,10.00,,,,cash,,K2
            T3,1,2025-01-04T10:00:00Z,store,S3,A,1,10.00,,,,cash,,K3
            T4,1,2025-01-04T10:00:00Z,store,S4,A,1,10.00,,,,cash,,K4
            T5,1,2025-01-05T10:00:00Z,store,S5,A,1,10.00,,,,cash,,K5
            """)
        let db = try KeelDatabase(path: dir.path + "/keel.sqlite")
        _ = try db.importFiles([dir.path])
        _ = try AnomalyDetection.run(db)
        let rows = try db.pool.read {
            try Row.fetchAll(
                $0,
                sql: """
                    SELECT l.location_id, date(a.day * 86400, 'unixepoch'), a.amount_at_risk FROM anomalies a
                    JOIN locations l ON l.location_key = a.location_key WHERE a.kind = 'inventory_mismatch' ORDER BY l.location_id
                    """)
        }
        #expect(rows.map { $0[0] as String } == ["S1", "S3"])
        // S1: 6 missing × 6.00 = 36.00, dated on the later count; S3: 1 unit × 6.00, dated on the sale.
        #expect(rows.map { $0[1] as String } == ["2025-01-05", "2025-01-04"])
        #expect(rows.map { $0[2] as Double } == [36, 6])
    }
}
