import Foundation
import KeelTestSupport
import Testing

/// Hand-made stock cases: an unexplained drop between counts and a sale with nothing on hand,
/// each beside a near miss that sales or a transfer explain.
@Suite struct InventoryMismatchTests {
    @Test func unexplainedDropAndSaleWithoutStock() throws {
        let fixture = AnomalyFixture("anomaly-inventory", stores: ["S1", "S2", "S3", "S4", "S5"])
        // S1: 10 → 2 with 2 sold: 6 units unexplained (≥ max(3, 25% × 10)). S2: 10 → 7 with 2 sold: 1 (a near miss).
        // S3: nothing on hand on 01-02, a sale on 01-04 with nothing arriving. S4: the same, but a transfer arrived 01-03.
        fixture.write(
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
        fixture.write(
            "transfers.csv",
            """
            transfer_id,from_location_id,to_location_id,sku,qty,shipped_at,received_at
            X1,S5,S4,A,3,2025-01-02,2025-01-03
            """)
        fixture.write(
            "sales.csv",
            """
            transaction_id,line,timestamp,channel,location_id,sku,qty,unit_price,discount,promo_id,customer_id,tender,order_id,cashier_id
            T1,1,2025-01-03T10:00:00Z,store,S1,A,2,10.00,,,,cash,,K1
            T2,1,2025-01-03T10:00:00Z,store,S2,A,2,10.00,,,,cash,,K2
            T3,1,2025-01-04T10:00:00Z,store,S3,A,1,10.00,,,,cash,,K3
            T4,1,2025-01-04T10:00:00Z,store,S4,A,1,10.00,,,,cash,,K4
            T5,1,2025-01-05T10:00:00Z,store,S5,A,1,10.00,,,,cash,,K5
            """)
        let rows = try fixture.found(try fixture.detect(), "inventory_mismatch")
        #expect(rows.map(\.location) == ["S1", "S3"])
        // S1: 6 missing × 6.00 = 36.00, dated on the later count; S3: 1 unit × 6.00, dated on the sale.
        #expect(rows.map(\.date) == ["2025-01-05", "2025-01-04"])
        #expect(rows.map(\.amount) == [36, 6])
    }
}
