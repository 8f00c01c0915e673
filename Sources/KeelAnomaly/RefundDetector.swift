import GRDB
import KeelCore
import KeelStore

/// Returns against their sales: `refund_exceeds_sale`, `refund_without_sale`, `refund_tender_mismatch`.
///
/// - `refund_exceeds_sale`: a return whose refund is above what the original line charged after
///   discounts for the units returned — allowed = min(the highest net unit price among the
///   transaction's lines of that sku × units still returnable,
///   net − refunds already given on that transaction and sku) — or that brings the units
///   returned above the units sold. Money at risk: refund − allowed.
/// - `refund_without_sale`: a return naming no original transaction, or one whose transaction has
///   no line for the sku. Not flagged blindly: only when its refund per unit is well above the
///   chain's median refund per unit, or the returner keeps doing it, or its store does it far
///   more than the median store (see `AnomalyConfiguration.Refunds`). Money at risk: the refund.
/// - `refund_tender_mismatch`: refunded to a different tender than the original payment (except
///   the configured policy pairs). Money at risk: the refund.
enum RefundDetector: AnomalyDetector {
    static let kinds: [AnomalyKind] = [.refundExceedsSale, .refundWithoutSale, .refundTenderMismatch]
    static let inputs: DetectionInputs = [.sales]

    static func detect(_ c: DetectionContext, into findings: inout [AnomalyFinding]) throws {
        let cfg = c.configuration.refunds
        let allowed = Set(cfg.allowedTenderPairs.filter { $0.count == 2 }.map { $0[0] + ">" + $0[1] })
        // Every return naming a sale, in SQL's scan order; its original lines are found in the
        // shared sales columns by a binary search on the transaction id (no join, no GROUP BY).
        struct Line {
            var id: String; var day: Day; var original: String; var item: Int64; var qty: Double; var refund: Double
            var channel: String; var location: Int64; var tender: String?; var cashier: String?; var customer: String?; var ts: Int64
        }
        var returns: [Line] = []
        let cursor = try Row.fetchCursor(
            c.db,
            sql: """
                SELECT return_id, day, original_transaction_id, item_key, qty, refund_amount, channel, location_key, tender, cashier_id, customer_id, ts
                FROM returns WHERE day <= ? AND original_transaction_id IS NOT NULL
                """, arguments: [c.day])
        while let r = try cursor.next() {
            returns.append(
                Line(
                    id: r[0], day: Day(rawValue: Int32(r[1] as Int64)), original: r[2], item: r[3], qty: r[4], refund: r[5], channel: r[6],
                    location: r[7], tender: r[8], cashier: r[9], customer: r[10], ts: r[11]))
        }
        // Units and refunds of the earlier returns of the same transaction and sku (by time, then id).
        let byPartition = returns.indices.sorted { a, b in
            let x = returns[a], y = returns[b]
            if x.original != y.original { return x.original.utf8.lexicographicallyPrecedes(y.original.utf8) }
            if x.item != y.item { return x.item < y.item }
            if x.ts != y.ts { return x.ts < y.ts }
            return x.id.utf8.lexicographicallyPrecedes(y.id.utf8)
        }
        var previousQty = [Double](repeating: 0, count: returns.count), previousRefund = previousQty
        var k = 0
        while k < byPartition.count {
            var qty = 0.0, refund = 0.0
            let first = returns[byPartition[k]]
            while k < byPartition.count, returns[byPartition[k]].original == first.original, returns[byPartition[k]].item == first.item {
                let i = byPartition[k]
                previousQty[i] = qty; previousRefund[i] = refund
                qty += returns[i].qty; refund += returns[i].refund
                k += 1
            }
        }
        let sales = c.sales
        var orphans: [Orphan] = []
        for (index, ret) in returns.enumerated() {
            var original = ret.original
            let t = original.withUTF8 { sales.transactionIndex(of: UnsafeRawBufferPointer($0)) }
            // The sku's lines in the original transaction: units, net charge, tender, best net unit price.
            var hasLine = false, sold = 0.0, net = 0.0, unitMax = -Double.infinity
            var saleTender: String? = nil
            if let t {
                for l in sales.transactionLines(t) where Int64(sales.item[l]) == ret.item {
                    hasLine = true
                    let q = sales.qty[l]
                    sold += q
                    net += q * sales.unitPrice[l] - sales.discount[l]
                    unitMax = max(unitMax, q > 0 ? sales.unitPrice[l] - sales.discount[l] / q : 0)
                    if sales.tender[l] >= 0 {
                        let name = sales.tenders[Int(sales.tender[l])]
                        if saleTender.map({ name.utf8.lexicographicallyPrecedes($0.utf8) }) ?? true { saleTender = name }
                    }
                }
            }
            let rid = ret.id, day = ret.day, item = ret.item, qty = ret.qty, refund = ret.refund, channel = ret.channel
            let location = ret.location, tender = ret.tender, cashier = ret.cashier, customer = ret.customer
            let sku = c.itemSku[Int(item)], where_ = c.locationId[Int(location)]
            guard hasLine else {
                orphans.append(
                    Orphan(
                        returnId: rid, day: day, original: original, item: item, qty: qty, refund: refund, channel: channel,
                        location: location, cashier: cashier, customer: customer, tender: tender))
                continue
            }
            let prevQty = previousQty[index], prevRefund = previousRefund[index]
            let returnable = max(0, min(qty, sold - prevQty))
            let allowedRefund = min(unitMax * returnable, max(0, net - prevRefund))
            if refund > allowedRefund + cfg.tolerance || prevQty + qty > sold + 1e-9 {
                let amount = max(0, refund - allowedRefund)
                let why =
                    prevQty + qty > sold + 1e-9
                    ? "\(number(prevQty + qty)) units returned in all against \(number(sold)) sold"
                    : "the line charged \(money(net)) for \(number(sold)) after discounts"
                findings.append(
                    AnomalyFinding(
                        kind: .refundExceedsSale, severity: c.severity(amount), score: amount / max(allowedRefund, 1), amountAtRisk: amount,
                        transactionId: original, returnId: rid, locationKey: location, itemKey: item, channel: channel,
                        category: c.itemCategory[Int(item)], cashierId: cashier, customerId: customer, day: day,
                        explanation: "Return \(rid) of \(number(qty)) × \(sku) at \(where_) on \(day) refunded \(money(refund)); \(why) "
                            + "(\(money(prevRefund)) already refunded), so at most \(money(allowedRefund)) was due. Excess \(money(amount)).",
                        fingerprint: AnomalyFinding.fingerprint(.refundExceedsSale, [rid])))
            }
            if let tender, let saleTender, tender != saleTender, !allowed.contains(saleTender + ">" + tender) {
                findings.append(
                    AnomalyFinding(
                        kind: .refundTenderMismatch, severity: c.severity(refund), score: 1, amountAtRisk: refund,
                        transactionId: original, returnId: rid, locationKey: location, itemKey: item, channel: channel,
                        category: c.itemCategory[Int(item)], cashierId: cashier, customerId: customer, day: day,
                        explanation: "Return \(rid) of \(sku) at \(where_) on \(day) refunded \(money(refund)) as \(tender), "
                            + "but \(original) was paid by \(saleTender)\(cashier.map { "; processed by cashier \($0)" } ?? "").",
                        fingerprint: AnomalyFinding.fingerprint(.refundTenderMismatch, [rid])))
            }
        }
        try noReceipt(c, orphans, into: &findings)
    }

    struct Orphan {
        var returnId: String; var day: Day; var original: String?; var item: Int64; var qty: Double; var refund: Double
        var channel: String; var location: Int64; var cashier: String?; var customer: String?; var tender: String?
    }

    /// Scores every return without a sale behind it against the chain's, its store's and its
    /// returner's no-receipt history.
    static func noReceipt(_ c: DetectionContext, _ unmatched: [Orphan], into findings: inout [AnomalyFinding]) throws {
        let cfg = c.configuration.refunds
        var all = unmatched
        let rows = try Row.fetchCursor(
            c.db,
            sql: """
                SELECT return_id, day, item_key, qty, refund_amount, channel, location_key, cashier_id, customer_id, tender
                FROM returns WHERE original_transaction_id IS NULL AND day <= ?
                """, arguments: [c.day])
        while let r = try rows.next() {
            all.append(
                Orphan(
                    returnId: r[0], day: Day(rawValue: Int32(r[1] as Int64)), original: nil, item: r[2], qty: r[3], refund: r[4],
                    channel: r[5], location: r[6], cashier: r[7], customer: r[8], tender: r[9]))
        }
        guard !all.isEmpty else { return }
        // The reference: the median refund per unit over every return (receipted or not) — a
        // large, stable population, unlike the few no-receipt returns themselves.
        let median =
            try Double.fetchOne(
                c.db,
                sql: """
                    SELECT refund_amount / qty FROM returns WHERE qty > 0 AND day <= ?1 ORDER BY refund_amount / qty
                    LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM returns WHERE qty > 0 AND day <= ?1)
                    """, arguments: [c.day]) ?? 0
        var byCustomer: [String: Int] = [:], byStore: [Int64: Int] = [:]
        for o in all {
            if let cu = o.customer { byCustomer[cu, default: 0] += 1 }
            byStore[o.location, default: 0] += 1
        }
        let storeCounts = try Int.fetchAll(c.db, sql: "SELECT location_key FROM locations WHERE type = 'store'").map {
            Double(byStore[Int64($0)] ?? 0)
        }
        let medianStore = storeCounts.isEmpty ? 0 : quantile(storeCounts, 0.5)
        for o in all {
            let valueRatio = median > 0 && o.qty > 0 ? o.refund / o.qty / median : 0
            let repeats = o.customer.map { byCustomer[$0] ?? 0 } ?? 0
            let storeRatio = medianStore > 0 ? Double(byStore[o.location] ?? 0) / medianStore : 0
            var reasons: [String] = []
            if valueRatio >= cfg.valueMultiple {
                reasons.append("its refund per unit is \(money(valueRatio))× the chain's median refund per unit \(money(median))")
            }
            if repeats >= cfg.repeatCount { reasons.append("customer \(o.customer!) has \(repeats) no-receipt returns") }
            if storeRatio >= cfg.storeMultiple && valueRatio >= 1 {
                reasons.append("\(c.locationId[Int(o.location)]) takes \(money(storeRatio))× the median store's no-receipt returns")
            }
            guard !reasons.isEmpty else { continue }
            let score = valueRatio / cfg.valueMultiple + Double(repeats) / Double(max(cfg.repeatCount, 1)) + storeRatio / cfg.storeMultiple
            let what = o.original.map { "names \($0), which has no line for \(c.itemSku[Int(o.item)])" } ?? "has no original transaction"
            findings.append(
                AnomalyFinding(
                    kind: .refundWithoutSale, severity: c.severity(o.refund), score: score, amountAtRisk: o.refund,
                    transactionId: o.original, returnId: o.returnId, locationKey: o.location, itemKey: o.item, channel: o.channel,
                    category: c.itemCategory[Int(o.item)], cashierId: o.cashier, customerId: o.customer, day: o.day,
                    explanation:
                        "Return \(o.returnId) of \(number(o.qty)) × \(c.itemSku[Int(o.item)]) at \(c.locationId[Int(o.location)]) on \(o.day) "
                        + "refunded \(money(o.refund))\(o.tender.map { " as \($0)" } ?? "") and \(what); " + reasons.joined(separator: "; ") + ".",
                    fingerprint: AnomalyFinding.fingerprint(.refundWithoutSale, [o.returnId])))
        }
    }
}

/// The `q` quantile (linear interpolation between order statistics) of `values`.
func quantile(_ values: [Double], _ q: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let s = values.sorted()
    let h = q * Double(s.count - 1)
    let lo = Int(h.rounded(.down)), hi = min(lo + 1, s.count - 1)
    return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
}
