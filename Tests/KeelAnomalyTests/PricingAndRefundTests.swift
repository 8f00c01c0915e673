import Foundation
import GRDB
import KeelAnomaly
import KeelCore
import KeelStore
import KeelTestSupport
import Testing

/// A hand-made store: two items, list prices, one promotion, a handful of sales, returns and
/// settlements, each line written to fire exactly one detector or to be a near miss.
func handMadeDatabase(_ dir: TemporaryDirectory) throws -> KeelDatabase {
    _ = dir.write(
        "items.csv",
        """
        sku,category,department,unit_cost,unit_price
        A,Toys,Kids,6.00,10.00
        B,Home,House,20.00,40.00
        """)
    _ = dir.write(
        "locations.csv",
        """
        location_id,type,latitude,longitude
        S1,store,0,0
        """)
    _ = dir.write(
        "prices.csv",
        """
        sku,channel,location_id,price,start_date,end_date
        A,store,,10.00,2025-01-01,
        B,store,,40.00,2025-01-01,
        A,web,,10.00,2025-01-01,
        """)
    _ = dir.write(
        "promotions.csv",
        """
        promo_id,sku,channel,location_id,start_date,end_date,promo_price,discount_pct
        P1,A,store,,2025-01-05,2025-01-06,,0.2
        """)
    // T1: A at list (normal). T2: A at 5.00 (below cost 6, no promo): below cost, loss 2 × 1 = 2.
    // T3: B at 32.00 (20% under list, above cost): override, 8 × 1 = 8. T4: B at 39.85 (0.15 under:
    // within the tolerance max(0.01, 0.5% × 40 = 0.20): a near miss). T5: A under P1 on its date
    // at 8.00 (fine). T6: A under P1 after it ended at 8.00: promo outside window, (10 − 8) × 3 = 6.
    // T7: B card sale 40.00, refunded 55.00: exceeds by 15. T8: A card sale, refunded in cash: tender mismatch 10.
    _ = dir.write(
        "sales.csv",
        """
        transaction_id,line,timestamp,channel,location_id,sku,qty,unit_price,discount,promo_id,customer_id,tender,order_id,cashier_id
        T1,1,2025-01-02T10:00:00Z,store,S1,A,1,10.00,,,,card,,K1
        T2,1,2025-01-02T11:00:00Z,store,S1,A,2,5.00,,,,card,,K1
        T3,1,2025-01-03T10:00:00Z,store,S1,B,1,32.00,,,,card,,K2
        T4,1,2025-01-03T11:00:00Z,store,S1,B,1,39.85,,,,cash,,K2
        T5,1,2025-01-05T10:00:00Z,store,S1,A,1,8.00,,P1,,cash,,K1
        T6,1,2025-01-08T10:00:00Z,store,S1,A,3,8.00,,P1,,cash,,K1
        T7,1,2025-01-08T12:00:00Z,store,S1,B,1,40.00,,,,card,,K1
        T8,1,2025-01-09T12:00:00Z,store,S1,A,1,10.00,,,,card,,K1
        """)
    _ = dir.write(
        "returns.csv",
        """
        return_id,timestamp,original_transaction_id,sku,qty,refund_amount,channel,location_id,reason_code,disposition,tender,cashier_id,customer_id
        R1,2025-01-10T10:00:00Z,T7,B,1,55.00,store,S1,size,restock,card,K1,
        R2,2025-01-10T11:00:00Z,T8,A,1,10.00,store,S1,size,restock,cash,K1,
        R3,2025-01-10T12:00:00Z,T1,A,1,10.00,store,S1,size,restock,card,K1,
        """)
    // Settlements: T1 exact (10 = 9.80 + 0.20); T2 short by 3; T3 settled twice; T7 and T8 missing
    // (7 days before as-of 2025-01-10? T7 is 2 days old: too young; none older is missing).
    _ = dir.write(
        "settlements.csv",
        """
        settlement_id,transaction_id,processor,amount,fee,settled_at
        ST1,T1,acq,9.80,0.20,2025-01-03
        ST2,T2,acq,6.80,0.20,2025-01-03
        ST3,T3,acq,31.50,0.50,2025-01-04
        ST4,T3,acq,31.50,0.50,2025-01-05
        """)
    let db = try KeelDatabase(path: dir.path + "/keel.sqlite")
    _ = try db.importFiles([dir.path])
    return db
}

@Suite struct PricingAndRefundTests {
    func findings(_ db: KeelDatabase) throws -> [Row] {
        try db.pool.read {
            try Row.fetchAll(
                $0,
                sql:
                    "SELECT kind, transaction_id, return_id, settlement_id, amount_at_risk, severity FROM anomalies ORDER BY kind, transaction_id, settlement_id"
            )
        }
    }

    @Test func handMadeCasesFireAndNearMissesDoNot() throws {
        let dir = TemporaryDirectory("anomaly-hand")
        let db = try handMadeDatabase(dir)
        let summary = try AnomalyDetection.run(db)
        #expect(summary.asOf == Day("2025-01-10"))
        let rows = try findings(db)
        func amount(_ kind: String, txn: String? = nil, ret: String? = nil, settlement: String? = nil) -> Double? {
            rows.first {
                ($0[0] as String) == kind && (txn == nil || $0[1] as String? == txn) && (ret == nil || $0[2] as String? == ret)
                    && (settlement == nil || $0[3] as String? == settlement)
            }.map { $0[4] as Double }
        }
        // Below cost: (6 − 5) × 2 = 2.
        #expect(amount("price_below_cost", txn: "T2") == 2)
        // Override: (40 − 32) × 1 = 8; the 0.15 difference of T4 is within tolerance (max(0.01, 0.5% × 40 = 0.20)).
        #expect(amount("price_override", txn: "T3") == 8)
        #expect(amount("price_override", txn: "T4") == nil)
        // T2 is below cost, reported once there, not again as an override.
        #expect(amount("price_override", txn: "T2") == nil)
        // P1 ended 2025-01-06; T6 on 01-08 at 8.00 for 3 units: (10 − 8) × 3 = 6. T5 within the window: nothing.
        #expect(amount("promo_outside_window", txn: "T6") == 6)
        #expect(amount("promo_outside_window", txn: "T5") == nil)
        #expect(amount("price_override", txn: "T6") == nil)
        // Refund 55 against a 40 line: 15 excess. R3 refunds exactly the line: nothing.
        #expect(amount("refund_exceeds_sale", ret: "R1") == 15)
        #expect(amount("refund_exceeds_sale", ret: "R3") == nil)
        // Card sale refunded in cash.
        #expect(amount("refund_tender_mismatch", ret: "R2") == 10)
        #expect(amount("refund_tender_mismatch", ret: "R3") == nil)
        // Settlements: T2 paid 6.80 + 0.20 = 7 against 10: 3 short; ST4 a duplicate of ST3 (31.50).
        #expect(amount("settlement_mismatch", txn: "T2", settlement: "ST2") == 3)
        #expect(amount("settlement_mismatch", txn: "T3", settlement: "ST4") == 31.5)
        #expect(amount("settlement_mismatch", txn: "T1") == nil)
        #expect(amount("settlement_mismatch", txn: "T3", settlement: "ST3") == nil)
        // T7 (2 days old) is not yet missing its settlement under the 7-day rule.
        #expect(amount("settlement_mismatch", txn: "T7") == nil)
        // Severity from money at risk: 31.50 ≥ 20 is medium, 8 < 20 is low.
        #expect(rows.first { ($0[3] as String?) == "ST4" }.map { $0[5] as String } == "medium")
        #expect(rows.first { ($0[0] as String) == "price_override" }.map { $0[5] as String } == "low")
        // The channel prices agree (A store = web = 10): no conflict.
        #expect(amount("channel_price_conflict") == nil)
    }

    @Test func missingSettlementAfterNDays() throws {
        let dir = TemporaryDirectory("anomaly-missing")
        let db = try handMadeDatabase(dir)
        // As of 2025-01-17, T7 (card, 40.00, 2025-01-08) is 9 days without a settlement; T8 (card, 10.00, 01-09) 8 days.
        _ = try AnomalyDetection.run(db, asOf: Day("2025-01-17"))
        let rows = try findings(db).filter { ($0[0] as String) == "settlement_mismatch" && ($0[3] as String?) == nil }
        #expect(Set(rows.map { $0[1] as String }) == ["T7", "T8"])
        #expect(rows.first { ($0[1] as String) == "T7" }.map { $0[4] as Double } == 40)
    }

    @Test func rerunDoesNotDuplicateNorReopen() throws {
        let dir = TemporaryDirectory("anomaly-rerun")
        let db = try handMadeDatabase(dir)
        let first = try AnomalyDetection.run(db)
        let id = try db.pool.read { try Int64.fetchOne($0, sql: "SELECT anomaly_id FROM anomalies WHERE kind = 'price_override'")! }
        try AnomalyQueue.setStatus(db, id: id, to: .acknowledged, note: "checking with the store")
        let second = try AnomalyDetection.run(db)
        #expect(second.detected == first.detected)
        #expect(second.new == 0)
        let (count, status, runs) = try db.pool.read { d in
            (
                try Int.fetchOne(d, sql: "SELECT COUNT(*) FROM anomalies")!,
                try String.fetchOne(d, sql: "SELECT status FROM anomalies WHERE anomaly_id = ?", arguments: [id])!,
                try Int.fetchOne(d, sql: "SELECT COUNT(*) FROM runs WHERE kind = 'anomalies' AND status = 'succeeded'")!
            )
        }
        #expect(count == first.detected)
        #expect(status == "acknowledged")
        #expect(runs == 2)
    }

    @Test func statusTransitions() throws {
        let dir = TemporaryDirectory("anomaly-queue")
        let db = try handMadeDatabase(dir)
        _ = try AnomalyDetection.run(db)
        let ids = try db.pool.read { try Int64.fetchAll($0, sql: "SELECT anomaly_id FROM anomalies ORDER BY anomaly_id LIMIT 2") }
        let a = try AnomalyQueue.setStatus(db, id: ids[0], to: .acknowledged)
        #expect(a.from == .open && a.to == .acknowledged)
        #expect(throws: AnomalyError.illegalTransition(id: ids[0], from: "acknowledged", to: "acknowledged")) {
            try AnomalyQueue.setStatus(db, id: ids[0], to: .acknowledged)
        }
        try AnomalyQueue.setStatus(db, id: ids[0], to: .resolved, note: "refunded")
        #expect(throws: AnomalyError.illegalTransition(id: ids[0], from: "resolved", to: "acknowledged")) {
            try AnomalyQueue.setStatus(db, id: ids[0], to: .acknowledged)
        }
        // open → resolved directly is allowed.
        #expect(try AnomalyQueue.setStatus(db, id: ids[1], to: .resolved).from == .open)
        #expect(throws: AnomalyError.unknownAnomaly(999_999)) { try AnomalyQueue.setStatus(db, id: 999_999, to: .resolved) }
    }

    @Test func emptyDatabaseIsBadInputAndRecordedAsFailed() throws {
        let dir = TemporaryDirectory("anomaly-empty")
        let db = try KeelDatabase(path: dir.path + "/keel.sqlite")
        #expect(throws: AnomalyError.noTransactions) { try AnomalyDetection.run(db) }
        let (failed, anomalies) = try db.pool.read { d in
            (
                try Int.fetchOne(d, sql: "SELECT COUNT(*) FROM runs WHERE kind = 'anomalies' AND status = 'failed'")!,
                try Int.fetchOne(d, sql: "SELECT COUNT(*) FROM anomalies")!
            )
        }
        #expect(failed == 1 && anomalies == 0)
    }
}
