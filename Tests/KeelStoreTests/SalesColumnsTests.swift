import Foundation
import GRDB
import KeelCore
import KeelStore
import KeelTestSupport
import Testing

/// The one-pass columnar read of the sales lines, on a hand-made file: transactions grouped in id
/// order with their line ranges, ids interned, NULLs as −1, binary search by id; and NumericQuery.
@Suite struct SalesColumnsTests {
    @Test func linesGroupedByTransactionWithInternedIds() throws {
        let dir = TemporaryDirectory("sales-columns")
        _ = dir.write("items.csv", "sku,category,department,unit_cost,unit_price\nA,Toys,Kids,6.00,10.00\nB,Toys,Kids,6.00,10.00\n")
        _ = dir.write("locations.csv", "location_id,type,latitude,longitude\nS1,store,0,0\n")
        _ = dir.write(
            "promotions.csv",
            "promo_id,sku,channel,location_id,start_date,end_date,promo_price,discount_pct\nP1,A,store,,2025-01-01,2025-01-31,,0.05\n")
        _ = dir.write(
            "sales.csv",
            """
            transaction_id,line,timestamp,channel,location_id,sku,qty,unit_price,discount,promo_id,customer_id,tender,order_id,cashier_id
            T2,2,2025-01-02T10:00:00Z,store,S1,B,1,10.00,,,C1,card,,K1
            T10,1,2025-01-03T10:00:00Z,store,S1,A,3,9.50,1.50,P1,C2,card,,
            T2,1,2025-01-02T10:00:00Z,store,S1,A,2,10.00,0.50,,C1,card,,K1
            T1,1,2025-01-01T10:00:00Z,store,S1,A,1,10.00,,,,cash,,K2
            """)
        let db = try KeelDatabase(path: dir.file("k.sqlite"))
        _ = try db.importFiles([dir.path])
        let s = try db.pool.read { try SalesColumns.load($0) }
        #expect(s.count == 4)
        // Byte order of the ids: T1 < T10 < T2.
        #expect(s.transactionCount == 3)
        #expect((0..<3).map { s.transactionId($0) } == ["T1", "T10", "T2"])
        #expect((0..<3).map { s.transactionLines($0) } == [0..<1, 1..<2, 2..<4])
        #expect(s.line == [1, 1, 1, 2])
        #expect(s.qty == [1, 3, 2, 1])
        #expect(s.discount == [0, 1.5, 0.5, 0])
        #expect(s.day == [Day("2025-01-01")!, Day("2025-01-03")!, Day("2025-01-02")!, Day("2025-01-02")!].map(\.rawValue))
        #expect(s.channel == [UInt8](repeating: UInt8(Channel.store.code), count: 4))
        #expect(s.promo.map { $0 < 0 ? "-" : s.promoIds[Int($0)] } == ["-", "P1", "-", "-"])
        #expect(s.customer.map { $0 < 0 ? "-" : s.customerIds[Int($0)] } == ["-", "C2", "C1", "C1"])
        #expect(s.cashier.map { $0 < 0 ? "-" : s.cashierIds[Int($0)] } == ["K2", "-", "K1", "K1"])
        #expect(s.tender.map { s.tenders[Int($0)] } == ["cash", "card", "card", "card"])
        for id in ["T1", "T10", "T2", "T3", "T0", ""] {
            var text = id
            let found = text.withUTF8 { s.transactionIndex(of: UnsafeRawBufferPointer($0)) }
            #expect(found == ["T1": 0, "T10": 1, "T2": 2][id], "\(id)")
        }
        let q = try db.pool.read { try NumericQuery($0, "SELECT qty, NULL, day FROM sales WHERE qty >= ? ORDER BY qty", [2]) }
        #expect(q.columns == 3 && q.count == 2)
        #expect(q[0, 0] == 2 && q[1, 0] == 3 && q[0, 1].isNaN && q[1, 2] == Double(Day("2025-01-03")!.rawValue))
    }
}
