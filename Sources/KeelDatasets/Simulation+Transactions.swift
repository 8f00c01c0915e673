import Foundation
import KeelCore

extension Simulation {
    /// Spikes and drops on planned pairs. Returns true when the pair's demand for today is handled.
    func handleSpecialPair(_ p: Int, s: Int, k: Int, d: Int, mean: Double, promo: Int32, price: Double) -> Bool {
        if pairFlag[p] & 2 != 0, let drop = dropPlans[p] {
            if drop.confirmed {
                if d < drop.start + drop.length { return true }
            } else if d >= drop.start {
                // Sales stop the day after a day the pair sold, with stock on the shelf (on hand, and
                // the latest stock count showing some available) and no promotion, for as long as
                // `SalesDropRule` asks of the pair's sales up to then. If its sales no longer support
                // a detectable gap, the drop goes to another pair from tomorrow.
                if onHand[p] >= 3 && lastSnapAvailable[p] > 0 && promo < 0 && lastSale[p] == Int32(d - 1) {
                    guard let length = dropLength(pair: p, from: d, extra: drop.extra) else {
                        dropPlans[p] = nil
                        pairFlag[p] &= ~2
                        dropRejected.insert(p)
                        pendingDrops.append((d + 1, drop.extra))
                        return false
                    }
                    dropPlans[p] = (d, drop.extra, length, true)
                    plan.record(TruthRow(kind: .salesDrop, location: locationIDs[s], sku: skuIDs[k], date: config.startDate.adding(d), channel: .store))
                    return true
                }
                return false
            }
        }
        if let spike = spikePlans[p], spike.day <= d {
            var qty = Int32(max(4, (max(mean, 0.3) * spike.factor).rounded()))
            // A small store may hold less than the planned spike; sell what is there if it is still 8× normal.
            if onHand[p] < qty && onHand[p] >= 4 && Double(onHand[p]) >= 8 * mean { qty = onHand[p] }
            guard promo < 0, !calendar.event[d], onHand[p] >= qty else {
                if spike.day == d || d > spike.day { spikePlans[p] = (d + 1, spike.factor) }
                return false
            }
            spikePlans[p] = nil
            pairFlag[p] &= ~1
            onHand[p] -= qty
            lines.append(PendingLine(sku: Int32(k), qty: qty, location: Int32(s), promo: -1, price: price, mark: .spike))
            return true
        }
        return false
    }

    /// Line-level anomalies and margin leakage at a store-day, plus coupons.
    func injectStoreLines(_ s: Int, _ d: Int, rng: inout SeededRandom) {
        if plan.due(.priceBelowCost, location: s, day: d) {
            if let i = lines.firstIndex(where: { $0.promo < 0 && $0.mark == .none }) {
                plan.consume(.priceBelowCost, location: s)
                lines[i].price = round2(net.items[Int(lines[i].sku)].cost * rng.uniform(0.55, 0.9))
                lines[i].mark = .belowCost
            }
        }
        if plan.due(.priceOverride, location: s, day: d) {
            if let i = lines.firstIndex(where: { $0.promo < 0 && $0.mark == .none && $0.price >= net.items[Int($0.sku)].cost * 1.45 }) {
                plan.consume(.priceOverride, location: s)
                let item = net.items[Int(lines[i].sku)]
                lines[i].price = max(round2(lines[i].price * rng.uniform(0.6, 0.85)), round2(item.cost * 1.1))
                lines[i].mark = .override
            }
        }
        if plan.due(.promoOutsideWindow, location: s, day: d), !pricing.promotions.isEmpty {
            // A promotion that is not running today (or not here), charged anyway.
            for _ in 0..<8 {
                let promo = pricing.promotions[rng.int(pricing.promotions.count)]
                let active = promo.start <= d && d <= promo.end
                if active && promo.covers(channel: .store, location: s) { continue }
                guard let row = promo.rows.first(where: { r in
                    let item = net.items[r.sku]
                    return !item.dropship && onHand[s * skuCount + r.sku] > 0 && activePromo[r.sku] < 0 && skuDay[r.sku] > 0
                        && !inDrop(s * skuCount + r.sku, day: d)
                }) else { continue }
                let promoIndex = pricing.promotions.firstIndex { $0.id == promo.id }!
                let list = priceNow[row.sku]
                let price = row.promoPrice ?? round2(list * (1 - (promo.discountPct ?? 0.2)))
                guard price < list, price >= net.items[row.sku].cost else { continue }
                onHand[s * skuCount + row.sku] -= 1
                lines.append(PendingLine(sku: Int32(row.sku), qty: 1, location: Int32(s), promo: Int32(promoIndex), price: price, mark: .promoOutside))
                plan.consume(.promoOutsideWindow, location: s)
                break
            }
        }
        var leak = -1
        for (i, l) in leakage.enumerated() where l.store == s && l.start <= d && d <= l.end { leak = i }
        for i in lines.indices where lines[i].mark == .none && lines[i].promo < 0 {
            let item = net.items[Int(lines[i].sku)]
            let gross = Double(lines[i].qty) * lines[i].price
            if leak >= 0 && item.category == leakage[leak].category {
                if rng.chance(0.8) {
                    let floor = Double(lines[i].qty) * item.cost * 1.02
                    lines[i].discount = round2(min(gross * rng.uniform(0.35, 0.45), max(0, gross - floor)))
                }
            } else if rng.chance(0.03) {
                let floor = Double(lines[i].qty) * item.cost * 1.1
                lines[i].discount = round2(min(gross * rng.uniform(0.05, 0.15), max(0, gross - floor)))
            }
        }
    }

    /// Writes one transaction's lines, schedules its returns and writes its settlement.
    func writeTransaction(_ range: Range<Int>, channel: Channel, day d: Int, second: Int32, tender: Tender, customer: Int32,
                          cashier: Int32, store: Int, abuser: Bool, orderID: String? = nil, rng: inout SeededRandom) {
        nextTransaction += 1
        let txn = nextTransaction
        let id = txnID(txn)
        let date = config.startDate.adding(d)
        let epoch = Int64(date.rawValue) * 86_400 + Int64(second)
        let customerString = customer >= 0 ? customerID(Int(customer)) : nil
        let cashierString = channel == .store ? cashierID(store: store, Int(cashier)) : nil
        var total = 0.0
        for (n, i) in range.enumerated() {
            let l = lines[i]
            let k = Int(l.sku)
            sales.field(id); sales.field(n + 1); sales.timestamp(epoch); sales.field(channel.rawValue)
            sales.field(locationIDs[Int(l.location)]); sales.field(skuIDs[k]); sales.field(Int(l.qty))
            sales.field(l.price, decimals: 2)
            if l.discount > 0 { sales.field(l.discount, decimals: 2) } else { sales.null() }
            if l.promo >= 0 { sales.field(pricing.promotions[Int(l.promo)].id) } else { sales.null() }
            sales.field(customerString); sales.field(tender.rawValue); sales.field(orderID); sales.field(cashierString)
            sales.endRow()
            total += Double(l.qty) * l.price - l.discount
            switch l.mark {
            case .none, .phantom: break
            case .belowCost, .override, .promoOutside:
                let kind: AnomalyKind = l.mark == .belowCost ? .priceBelowCost : (l.mark == .override ? .priceOverride : .promoOutsideWindow)
                plan.record(TruthRow(kind: kind, transaction: id, location: locationIDs[Int(l.location)], sku: skuIDs[k], date: date,
                                     channel: channel, cashier: l.mark == .override ? cashierString : nil))
            case .spike:
                plan.record(TruthRow(kind: .salesSpike, location: locationIDs[Int(l.location)], sku: skuIDs[k], date: date, channel: channel))
            }
            scheduleReturn(line: l, transaction: txn, channel: channel, day: d, tender: tender, customer: customer, abuser: abuser)
        }
        // Settlement for card and marketplace tenders.
        guard tender == .card || tender == .marketplace else { return }
        let locationIndex = Int(lines[range.lowerBound].location)
        let processor: String, pct: Double, fixed: Double
        switch channel {
        case .store: processor = "acquirer_a"; pct = 0.016; fixed = 0.05
        case .marketplace: processor = "marketplace_payout"; pct = 0.12; fixed = 0
        default: processor = "acquirer_b"; pct = 0.024; fixed = 0.25
        }
        let fee = round2(total * pct + fixed)
        var amount = round2(total - fee)
        let settleDay = d + 1 + rng.int(3)
        guard settleDay < days else { return }
        var variant = -1
        if store >= 0 && plan.due(.settlementMismatch, location: locationIndex, day: d) {
            variant = (txn % 3)
            if variant == 1 && d > days - 10 { variant = 0 }
            plan.consume(.settlementMismatch, location: locationIndex)
        }
        if variant == 1 {
            plan.record(TruthRow(kind: .settlementMismatch, transaction: id, location: locationIDs[locationIndex], date: date))
            return
        }
        if variant == 0 { amount = round2(amount + (rng.chance(0.5) ? -1 : 1) * rng.uniform(1, 20)) }
        nextSettlement += 1
        let sid = makeID("ST", nextSettlement, width: 7)
        writeSettlement(sid, txn: id, processor: processor, amount: amount, fee: fee, day: settleDay)
        if variant == 0 {
            plan.record(TruthRow(kind: .settlementMismatch, transaction: id, settlement: sid, location: locationIDs[locationIndex], date: date))
        } else if variant == 2 {
            nextSettlement += 1
            let dup = makeID("ST", nextSettlement, width: 7)
            writeSettlement(dup, txn: id, processor: processor, amount: amount, fee: fee, day: min(days - 1, settleDay + 1))
            plan.record(TruthRow(kind: .settlementMismatch, transaction: id, settlement: dup, location: locationIDs[locationIndex], date: date))
        }
    }

    func writeSettlement(_ sid: String, txn: String, processor: String, amount: Double, fee: Double, day: Int) {
        settlements.field(sid); settlements.field(txn); settlements.field(processor)
        settlements.field(amount, decimals: 2); settlements.field(fee, decimals: 2)
        settlements.timestamp(Int64(config.startDate.adding(day).rawValue) * 86_400 + 6 * 3600)
        settlements.endRow()
    }
}
