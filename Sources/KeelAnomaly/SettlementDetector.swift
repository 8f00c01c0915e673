import GRDB
import KeelCore

/// `settlement_mismatch`, per settlement (or per transaction when one is missing):
/// - a settlement whose `amount + fee` differs from its transaction's net total
///   Σ(qty × unit_price − discount) by more than the tolerance, or that names no known sale
///   (money at risk: the difference, or the amount);
/// - a duplicate: a second or later settlement of the same transaction (money at risk: its amount);
/// - a sale paid by a settled tender (card, marketplace) with no settlement `missingAfterDays`
///   after its date, counted from the as-of day (money at risk: the sale's total).
enum SettlementDetector: AnomalyDetector {
    static let kinds: [AnomalyKind] = [.settlementMismatch]

    static func detect(_ c: DetectionContext, into findings: inout [AnomalyFinding]) throws {
        let cfg = c.configuration.settlements
        var seen = Set<String>()
        func emit(_ f: AnomalyFinding) { if seen.insert(f.fingerprint).inserted { findings.append(f) } }
        let tenders = cfg.settledTenders.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: ",")
        // Duplicates first, so a duplicate is reported as one.
        // Transactions settled more than once (grouped on the settlements_by_transaction index),
        // then their settlements in order: the first is the payout, the rest duplicates.
        let dups = try Row.fetchAll(
            c.db,
            sql: """
                WITH d AS (SELECT transaction_id FROM settlements WHERE settled_day <= ?1 GROUP BY transaction_id HAVING COUNT(*) > 1)
                SELECT s.settlement_id, s.transaction_id, s.amount, s.settled_day FROM d JOIN settlements s ON s.transaction_id = d.transaction_id
                WHERE s.settled_day <= ?1 ORDER BY s.transaction_id, s.settled_ts, s.settlement_id
                """, arguments: [c.day])
        var first: (txn: String, sid: String)? = nil
        for r in dups {
            let sid: String = r[0], txn: String = r[1], amount: Double = r[2]
            guard let f = first, f.txn == txn else { first = (txn, sid); continue }
            let sale = try Row.fetchOne(
                c.db,
                sql: """
                    SELECT day, location_key, channel, cashier_id, customer_id FROM sales WHERE transaction_id = ? ORDER BY line LIMIT 1
                    """, arguments: [txn])
            let day = (sale?[0] as Int64?).map { Day(rawValue: Int32($0)) } ?? Day(rawValue: Int32(r[3] as Int64))
            emit(
                AnomalyFinding(
                    kind: .settlementMismatch, severity: c.severity(amount), score: 1, amountAtRisk: amount,
                    transactionId: txn, settlementId: sid, locationKey: sale?[1], channel: sale?[2], cashierId: sale?[3], customerId: sale?[4],
                    day: day,
                    explanation:
                        "Settlement \(sid) pays \(money(amount)) for \(txn), which \(f.sid) already settled: a duplicate payout of \(money(amount)).",
                    fingerprint: AnomalyFinding.fingerprint(.settlementMismatch, [txn, sid])))
        }
        let rows = try Row.fetchCursor(
            c.db,
            sql: """
                WITH t AS (
                  SELECT transaction_id, MIN(day) AS day, MIN(location_key) AS loc, MIN(channel) AS ch, MIN(tender) AS tender,
                         MIN(cashier_id) AS cashier, MIN(customer_id) AS customer, SUM(qty * unit_price - discount) AS total
                  FROM sales WHERE day <= ?1 GROUP BY transaction_id)
                SELECT t.transaction_id, t.day, t.loc, t.ch, t.tender, t.cashier, t.customer, t.total,
                       st.settlement_id, st.amount, st.fee, st.settled_day
                FROM t LEFT JOIN settlements st ON st.transaction_id = t.transaction_id AND st.settled_day <= ?1
                WHERE (st.settlement_id IS NOT NULL AND abs(st.amount + st.fee - t.total) > ?2)
                   OR (st.settlement_id IS NULL AND t.tender IN (\(tenders)) AND t.day <= ?1 - ?3)
                """, arguments: [c.day, cfg.tolerance, cfg.missingAfterDays])
        while let r = try rows.next() {
            let txn: String = r[0], day = Day(rawValue: Int32(r[1] as Int64)), total: Double = r[7]
            let location: Int64 = r[2], channel: String = r[3], tender: String? = r[4]
            if let sid = r[8] as String? {
                let amount: Double = r[9], fee: Double = r[10]
                let diff = amount + fee - total
                emit(
                    AnomalyFinding(
                        kind: .settlementMismatch, severity: c.severity(abs(diff)), score: abs(diff) / max(total, 1), amountAtRisk: abs(diff),
                        transactionId: txn, settlementId: sid, locationKey: location, channel: channel, cashierId: r[5], customerId: r[6], day: day,
                        explanation:
                            "Settlement \(sid) for \(txn) (\(day), \(c.locationId[Int(location)])) paid \(money(amount)) + fee \(money(fee)) = \(money(amount + fee)) "
                            + "against a sale of \(money(total)): \(money(abs(diff))) \(diff < 0 ? "short" : "over").",
                        fingerprint: AnomalyFinding.fingerprint(.settlementMismatch, [txn, sid])))
            } else {
                let age = c.asOf - day
                emit(
                    AnomalyFinding(
                        kind: .settlementMismatch, severity: c.severity(total), score: Double(age) / Double(max(cfg.missingAfterDays, 1)),
                        amountAtRisk: total,
                        transactionId: txn, locationKey: location, channel: channel, cashierId: r[5], customerId: r[6], day: day,
                        explanation:
                            "Sale \(txn) of \(money(total)) paid by \(tender ?? "?") at \(c.locationId[Int(location)]) on \(day) has no settlement \(age) days later "
                            + "(expected within \(cfg.missingAfterDays)).",
                        fingerprint: AnomalyFinding.fingerprint(.settlementMismatch, [txn, "missing"])))
            }
        }
        // Settlements naming no sale.
        let orphans = try Row.fetchCursor(
            c.db,
            sql: """
                SELECT settlement_id, transaction_id, amount, settled_day FROM settlements s
                WHERE settled_day <= ? AND NOT EXISTS (SELECT 1 FROM sales t WHERE t.transaction_id = s.transaction_id)
                """, arguments: [c.day])
        while let r = try orphans.next() {
            let sid: String = r[0], txn: String = r[1], amount: Double = r[2]
            emit(
                AnomalyFinding(
                    kind: .settlementMismatch, severity: c.severity(amount), score: 1, amountAtRisk: amount, transactionId: txn, settlementId: sid,
                    day: Day(rawValue: Int32(r[3] as Int64)),
                    explanation: "Settlement \(sid) pays \(money(amount)) for \(txn), a transaction with no recorded sale.",
                    fingerprint: AnomalyFinding.fingerprint(.settlementMismatch, [txn, sid])))
        }
    }
}
