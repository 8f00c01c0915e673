import GRDB
import KeelCore
import KeelStore

/// `settlement_mismatch`, per settlement (or per transaction when one is missing):
/// - a settlement whose `amount + fee` differs from its transaction's net total
///   Σ(qty × unit_price − discount) by more than the tolerance, or that names no known sale
///   (money at risk: the difference, or the amount);
/// - a duplicate: a second or later settlement of the same transaction (money at risk: its amount);
/// - a sale paid by a settled tender (card, marketplace) with no settlement `missingAfterDays`
///   after its date, counted from the as-of day (money at risk: the sale's total).
enum SettlementDetector: AnomalyDetector {
    static let kinds: [AnomalyKind] = [.settlementMismatch]
    static let inputs: DetectionInputs = [.sales]

    static func detect(_ c: DetectionContext, into findings: inout [AnomalyFinding]) throws {
        let cfg = c.configuration.settlements
        var seen = Set<String>()
        func emit(_ f: AnomalyFinding) { if seen.insert(f.fingerprint).inserted { findings.append(f) } }
        let sales = c.sales
        let settled = try SettlementColumns.load(c.db, through: c.asOf, sales: sales)
        // The transaction's first line (any day), for the evidence of a duplicate.
        func firstLine(_ t: Int) -> Int? { t >= 0 && t < sales.transactionCount ? sales.transactionLines(t).lowerBound : nil }
        func text(_ table: [String], _ code: Int32) -> String? { code >= 0 ? table[Int(code)] : nil }
        let channelNames = Channel.allCases.map(\.rawValue)
        func channelName(_ code: UInt8) -> String? { Int(code) < channelNames.count ? channelNames[Int(code)] : nil }
        // Settlements by transaction: sold ones in transaction order, then settled time and id.
        var order = Array(0..<settled.count)
        var sids = [String](repeating: "", count: settled.count)
        var perTxn = [Int32](repeating: 0, count: sales.transactionCount)
        for i in 0..<settled.count where settled.transaction[i] >= 0 { perTxn[Int(settled.transaction[i])] += 1 }
        var unsoldCount: [String: Int] = [:]
        for i in 0..<settled.count {
            let t = Int(settled.transaction[i])
            if t < 0 { unsoldCount[settled.transactionId(i), default: 0] += 1 }
            if (t >= 0 && perTxn[t] > 1) || t < 0 { sids[i] = settled.settlementId(i) }
        }
        // Duplicates first, so a duplicate is reported as one: the first settlement of a
        // transaction (by settled time, then id) is the payout, the rest duplicates.
        var multi = order.filter { i in
            let t = Int(settled.transaction[i])
            return t >= 0 ? perTxn[t] > 1 : unsoldCount[settled.transactionId(i)]! > 1
        }
        let multiTxn = multi.map { settled.transactionId($0) }
        var byPosition = Array(multi.indices)
        byPosition.sort { a, b in
            let ta = multiTxn[a], tb = multiTxn[b]
            if ta != tb { return ta.utf8.lexicographicallyPrecedes(tb.utf8) }
            let ia = multi[a], ib = multi[b]
            if settled.settledTs[ia] != settled.settledTs[ib] { return settled.settledTs[ia] < settled.settledTs[ib] }
            return sids[ia].utf8.lexicographicallyPrecedes(sids[ib].utf8)
        }
        multi = byPosition.map { multi[$0] }
        var previous: (txn: String, sid: String)? = nil
        for i in multi {
            let txn = settled.transactionId(i), sid = sids[i], amount = settled.amount[i]
            guard let f = previous, f.txn == txn else { previous = (txn, sid); continue }
            let l = firstLine(Int(settled.transaction[i]))
            let day = l.map { Day(rawValue: sales.day[$0]) } ?? Day(rawValue: settled.settledDay[i])
            emit(
                AnomalyFinding(
                    kind: .settlementMismatch, severity: c.severity(amount), score: 1, amountAtRisk: amount,
                    transactionId: txn, settlementId: sid, locationKey: l.map { Int64(sales.location[$0]) },
                    channel: l.flatMap { channelName(sales.channel[$0]) }, cashierId: l.flatMap { text(sales.cashierIds, sales.cashier[$0]) },
                    customerId: l.flatMap { text(sales.customerIds, sales.customer[$0]) }, day: day,
                    explanation:
                        "Settlement \(sid) pays \(money(amount)) for \(txn), which \(f.sid) already settled: a duplicate payout of \(money(amount)).",
                    fingerprint: AnomalyFinding.fingerprint(.settlementMismatch, [txn, sid])))
        }
        // Each transaction's net total over its lines up to the as-of day, against its settlements.
        order.removeAll(where: { settled.transaction[$0] < 0 })
        order.sort { (settled.transaction[$0], $0) < (settled.transaction[$1], $1) }
        let settledTender = Set(cfg.settledTenders.compactMap { sales.tenders.firstIndex(of: $0).map { Int32($0) } })
        let lastMissing = c.asOfDay - Int32(cfg.missingAfterDays)
        var next = 0
        for t in 0..<sales.transactionCount {
            var total = 0.0, seen = false
            var day = Int32.max, location = Int32.max
            var channel: String? = nil, tender: Int32 = -1, cashier: Int32 = -1, customer: Int32 = -1
            func least(_ a: Int32, _ b: Int32, _ table: [String]) -> Int32 {
                if a < 0 { return b }
                if b < 0 || a == b { return a }
                return table[Int(b)].utf8.lexicographicallyPrecedes(table[Int(a)].utf8) ? b : a
            }
            for l in sales.transactionLines(t) where sales.day[l] <= c.asOfDay {
                seen = true
                total += sales.qty[l] * sales.unitPrice[l] - sales.discount[l]
                day = min(day, sales.day[l]); location = min(location, sales.location[l])
                if let name = channelName(sales.channel[l]), channel.map({ name.utf8.lexicographicallyPrecedes($0.utf8) }) ?? true { channel = name }
                tender = least(tender, sales.tender[l], sales.tenders)
                cashier = least(cashier, sales.cashier[l], sales.cashierIds)
                customer = least(customer, sales.customer[l], sales.customerIds)
            }
            while next < order.count && Int(settled.transaction[order[next]]) < t { next += 1 }
            guard seen else { continue }
            let txnDay = Day(rawValue: day), place = c.locationId[Int(location)]
            var any = false
            while next < order.count && Int(settled.transaction[order[next]]) == t {
                let i = order[next]
                next += 1
                any = true
                let amount = settled.amount[i], fee = settled.fee[i]
                let diff = amount + fee - total
                guard abs(diff) > cfg.tolerance else { continue }
                let txn = sales.transactionId(t), sid = settled.settlementId(i)
                emit(
                    AnomalyFinding(
                        kind: .settlementMismatch, severity: c.severity(abs(diff)), score: abs(diff) / max(total, 1), amountAtRisk: abs(diff),
                        transactionId: txn, settlementId: sid, locationKey: Int64(location), channel: channel,
                        cashierId: text(sales.cashierIds, cashier), customerId: text(sales.customerIds, customer), day: txnDay,
                        explanation:
                            "Settlement \(sid) for \(txn) (\(txnDay), \(place)) paid \(money(amount)) + fee \(money(fee)) = \(money(amount + fee)) "
                            + "against a sale of \(money(total)): \(money(abs(diff))) \(diff < 0 ? "short" : "over").",
                        fingerprint: AnomalyFinding.fingerprint(.settlementMismatch, [txn, sid])))
            }
            guard !any, tender >= 0, settledTender.contains(tender), day <= lastMissing else { continue }
            let txn = sales.transactionId(t)
            let age = c.asOf - txnDay
            let tenderName = sales.tenders[Int(tender)]
            emit(
                AnomalyFinding(
                    kind: .settlementMismatch, severity: c.severity(total), score: Double(age) / Double(max(cfg.missingAfterDays, 1)),
                    amountAtRisk: total,
                    transactionId: txn, locationKey: Int64(location), channel: channel,
                    cashierId: text(sales.cashierIds, cashier), customerId: text(sales.customerIds, customer), day: txnDay,
                    explanation:
                        "Sale \(txn) of \(money(total)) paid by \(tenderName) at \(place) on \(txnDay) has no settlement \(age) days later "
                        + "(expected within \(cfg.missingAfterDays)).",
                    fingerprint: AnomalyFinding.fingerprint(.settlementMismatch, [txn, "missing"])))
        }
        // Settlements naming no sale.
        for i in 0..<settled.count where settled.transaction[i] < 0 {
            let sid = sids[i], txn = settled.transactionId(i), amount = settled.amount[i]
            emit(
                AnomalyFinding(
                    kind: .settlementMismatch, severity: c.severity(amount), score: 1, amountAtRisk: amount, transactionId: txn, settlementId: sid,
                    day: Day(rawValue: settled.settledDay[i]),
                    explanation: "Settlement \(sid) pays \(money(amount)) for \(txn), a transaction with no recorded sale.",
                    fingerprint: AnomalyFinding.fingerprint(.settlementMismatch, [txn, sid])))
        }
    }
}
