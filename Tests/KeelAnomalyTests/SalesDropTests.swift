import Foundation
import GRDB
import KeelAnomaly
import KeelCore
import KeelStore
import KeelTestSupport
import Testing

/// A hand-made drop: S1 sells 5 A a day beside S2's 10, then none for 5 trading days while S2
/// goes on (fires); later a 2-day gap (a near miss: under the 3-day minimum).
@Suite struct SalesDropTests {
    @Test func gapAgainstPeersFiresShortGapDoesNot() throws {
        let dir = TemporaryDirectory("anomaly-drop")
        _ = dir.write("items.csv", "sku,category,department,unit_cost,unit_price\nA,Toys,Kids,6.00,10.00\nB,Toys,Kids,6.00,10.00\n")
        _ = dir.write("locations.csv", "location_id,type,latitude,longitude\nS1,store,0,0\nS2,store,0,0\n")
        _ = dir.write("prices.csv", "sku,channel,location_id,price,start_date,end_date\nA,store,,10.00,2024-01-01,\nB,store,,10.00,2024-01-01,\n")
        var sales = "transaction_id,line,timestamp,channel,location_id,sku,qty,unit_price,discount,promo_id,customer_id,tender,order_id,cashier_id\n"
        let start = Day(rawValue: 19723)  // 2024-01-01
        for d in 0..<300 {
            let day = start.adding(d)
            let gap = (200..<205).contains(d) || (250..<252).contains(d)
            if !gap { for i in 0..<5 { sales += "A1-\(d)-\(i),1,\(day)T10:00:00Z,store,S1,A,1,10.00,,,,cash,,K1\n" } }
            sales += "B1-\(d),1,\(day)T11:00:00Z,store,S1,B,1,10.00,,,,cash,,K1\n"  // S1 keeps trading
            for i in 0..<10 { sales += "A2-\(d)-\(i),1,\(day)T10:00:00Z,store,S2,A,1,10.00,,,,cash,,K2\n" }
        }
        _ = dir.write("sales.csv", sales)
        let db = try KeelDatabase(path: dir.path + "/keel.sqlite")
        _ = try db.importFiles([dir.path])
        _ = try AnomalyDetection.run(db)
        let rows = try db.pool.read {
            try Row.fetchAll(
                $0,
                sql: """
                    SELECT l.location_id, i.sku, date(a.day * 86400, 'unixepoch'), a.amount_at_risk FROM anomalies a
                    JOIN locations l ON l.location_key = a.location_key JOIN items i ON i.item_key = a.item_key WHERE a.kind = 'sales_drop'
                    """)
        }
        // Expected units: S1's ratio to its peers over the 182 days before (910 / 1,820 = 0.5) × the
        // peers' 50 units in the gap = 25 ≥ 16; money 25 × 10.00 = 250.
        #expect(rows.count == 1)
        #expect(rows.first.map { "\($0[0] as String) \($0[1] as String) \($0[2] as String)" } == "S1 A \(start.adding(200))")
        #expect(abs((rows.first.map { $0[3] as Double } ?? 0) - 250) < 0.01)
    }
}
