import Foundation
import KeelCore

extension Simulation {
    static let reasons = ["size", "defective", "not_as_described", "changed_mind", "damaged_in_transit", "late_delivery"]

    /// Decides whether a sold line comes back, and schedules the return 1–30 days later.
    func scheduleReturn(line l: PendingLine, transaction txn: Int, channel: Channel, day d: Int, tender: Tender,
                        customer: Int32, abuser: Bool) {
        guard l.mark != .phantom, l.mark != .spike else { return }
        let k = Int(l.sku)
        let item = net.items[k]
        let spec = Assortment.categories[item.category]
        let online = channel != .store
        let rate = abuser ? 0.85 : (online ? spec.onlineReturnRate : spec.storeReturnRate)
        var rng = returnRng
        defer { returnRng = rng }
        guard rng.chance(rate) else { return }
        let delay = online ? 3 + rng.int(28) : 1 + rng.int(30)
        let rd = d + delay
        guard rd < days else { return }
        // Where it comes back: the selling store; online mostly to a DC, some in store (BORIS).
        var location = Int(l.location)
        var returnChannel = channel
        if online {
            if rng.chance(0.15) {
                location = rng.int(storeCount); returnChannel = .store
            } else if location < storeCount || location >= stocked {
                location = net.storeCount + rng.int(net.dcCount)
            }
        }
        let qty: Int32 = (abuser || l.qty == 1 || rng.chance(0.6)) ? l.qty : 1 + Int32(rng.int(Int(l.qty)))
        var refund = round2(Double(qty) * l.price - l.discount * Double(qty) / Double(l.qty))
        // Reason and disposition.
        let u = rng.uniform()
        var reason: Int
        if spec.apparel {
            reason = u < 0.45 ? 0 : (u < 0.55 ? 1 : (u < 0.7 ? 2 : 3))
        } else {
            reason = u < 0.3 ? 1 : (u < 0.5 ? 2 : 3)
        }
        if online && rng.chance(0.1) { reason = rng.chance(0.5) ? 4 : 5 }
        var disposition: Disposition = rng.chance(0.88) ? .restock : .liquidate
        if reason == 1 { disposition = rng.chance(0.6) ? .damaged : .vendorReturn }
        if reason == 4 { disposition = .damaged }
        var returnTender = tender
        var mark: AnomalyKind? = nil
        var qtyOut = qty
        if returnChannel == .store && !abuser {
            if plan.due(.refundExceedsSale, location: location, day: rd - delay) {
                plan.consume(.refundExceedsSale, location: location)
                mark = .refundExceedsSale
                if rng.chance(0.5) {
                    qtyOut = l.qty + 1 + Int32(rng.int(2))
                    refund = round2(Double(qtyOut) * l.price)
                } else {
                    refund = round2(refund * rng.uniform(1.4, 2.5) + 5)
                }
            } else if tender == .card && plan.due(.refundTenderMismatch, location: location, day: rd - delay) {
                plan.consume(.refundTenderMismatch, location: location)
                mark = .refundTenderMismatch
                returnTender = rng.chance(0.6) ? .cash : .giftCard
            }
        }
        var cashier: Int32 = -1
        if returnChannel == .store { cashier = returnCashier(store: location, rng: &rng) }
        let second = Int32(returnChannel == .store ? 9 * 3600 + rng.int(12 * 3600) : rng.int(86_400))
        returnQueue[rd].append(PendingReturn(
            transaction: txn, sku: l.sku, qty: qtyOut, refund: refund, channel: returnChannel, location: Int32(location),
            reason: UInt8(reason), disposition: disposition, tender: returnTender, cashier: cashier, customer: customer,
            second: second, mark: mark))
    }

    /// The cashier processing a store return (outlier cashiers take most returns at their store).
    func returnCashier(store s: Int, rng: inout SeededRandom) -> Int32 {
        for o in outlierCashiers where o.store == s {
            if rng.chance(0.75) { return Int32(o.cashier) }
        }
        return Int32(rng.int(cashiers[s]))
    }

    /// No-receipt returns at a store today: rare, low-value legitimate ones and the injected fraud.
    func noReceiptReturns(_ d: Int) {
        var rng = returnRng
        defer { returnRng = rng }
        for s in 0..<storeCount where calendar.store[d] > 0 {
            if rng.chance(0.02 * net.locations[s].size) {
                let k = rng.int(skuCount)
                let item = net.items[k]
                if !item.dropship && priceNow[k] < 25 && skuDay[k] > 0 {
                    let u = rng.uniform()
                    let customer = Int32(s * customersPerStore + Int(Double(customersPerStore - 10) * u * u))
                    returnQueue[d].append(PendingReturn(
                        transaction: 0, sku: Int32(k), qty: 1, refund: priceNow[k], channel: .store, location: Int32(s),
                        reason: 3, disposition: .restock, tender: .giftCard, cashier: returnCashier(store: s, rng: &rng),
                        customer: customer, second: Int32(10 * 3600 + rng.int(10 * 3600)), mark: nil))
                }
            }
            let n = plan.dueCount(.refundWithoutSale, location: s, day: d)
            for _ in 0..<min(n, 2) {
                plan.consume(.refundWithoutSale, location: s)
                var k = rng.int(skuCount)
                for _ in 0..<50 where net.items[k].dropship || priceNow[k] < 60 { k = rng.int(skuCount) }
                let qty = Int32(1 + rng.int(2))
                returnQueue[d].append(PendingReturn(
                    transaction: 0, sku: Int32(k), qty: qty, refund: round2(priceNow[k] * Double(qty)), channel: .store,
                    location: Int32(s), reason: 3, disposition: .restock, tender: rng.chance(0.6) ? .cash : .giftCard,
                    cashier: Int32(rng.int(cashiers[s])), customer: Int32(fraudCustomers[rng.int(fraudCustomers.count)]),
                    second: Int32(10 * 3600 + rng.int(10 * 3600)), mark: .refundWithoutSale))
            }
        }
    }

    /// Writes today's returns (ids in order) and puts restocked units back on hand.
    func writeReturns(_ d: Int) {
        noReceiptReturns(d)
        let date = config.startDate.adding(d)
        for r in returnQueue[d] {
            nextReturn += 1
            let rid = makeID("R", nextReturn, width: 7)
            let loc = Int(r.location)
            returns.field(rid); returns.timestamp(Int64(date.rawValue) * 86_400 + Int64(r.second))
            let original = r.transaction > 0 ? txnID(r.transaction) : nil
            returns.field(original); returns.field(skuIDs[Int(r.sku)]); returns.field(Int(r.qty))
            returns.field(r.refund, decimals: 2); returns.field(r.channel.rawValue); returns.field(locationIDs[loc])
            returns.field(Simulation.reasons[Int(r.reason)]); returns.field(r.disposition.rawValue); returns.field(r.tender.rawValue)
            let cashier = r.cashier >= 0 ? cashierID(store: loc, Int(r.cashier)) : nil
            let customer = r.customer >= 0 ? customerID(Int(r.customer)) : nil
            returns.field(cashier); returns.field(customer)
            returns.endRow()
            if loc < stocked {
                let p = loc * skuCount + Int(r.sku)
                if r.disposition == .restock { onHand[p] += r.qty } else if r.disposition == .damaged { damaged[p] += r.qty }
            }
            if let mark = r.mark {
                switch mark {
                case .refundWithoutSale:
                    plan.record(TruthRow(kind: mark, returnID: rid, location: locationIDs[loc], sku: skuIDs[Int(r.sku)], date: date, channel: r.channel, customer: customer))
                default:
                    plan.record(TruthRow(kind: mark, transaction: original, returnID: rid, location: locationIDs[loc], sku: skuIDs[Int(r.sku)], date: date, channel: r.channel))
                }
            }
        }
        returnQueue[d] = []
    }
}
