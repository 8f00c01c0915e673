import Foundation
import KeelCore

extension Simulation {
    func run(progress: ((Double) -> Void)?) throws {
        for d in 0..<days {
            prepareDay(d)
            receiveArrivals(d)
            writeReturns(d)
            assignDrops(d)
            for s in 0..<storeCount { storeDay(s, d) }
            onlineDay(d)
            replenishStores(d)
            replenishDCs(d)
            snapshots(d)
            if let progress, d % 7 == 6 || d == days - 1 { progress(Double(d + 1) / Double(days) * 0.97) }
        }
        for w in [sales, returns, inventory, purchaseOrders, transfers, settlements] { try w.close() }
    }

    /// Today's per-SKU demand level, list price, active promotion and injected price conflict.
    func prepareDay(_ d: Int) {
        for k in 0..<skuCount {
            let item = net.items[k]
            let price = pricing.daily[k][d]
            priceNow[k] = price
            guard d >= item.launch && d < item.discontinue else { skuDay[k] = 0; activePromo[k] = -1; continue }
            skuDay[k] = skuLevel(k, day: d)
            let promos = pricing.skuPromos[k]
            var i = promoPtr[k]
            while i < promos.count && promos[i].end < d { i += 1 }
            promoPtr[k] = i
            if i < promos.count && promos[i].start <= d {
                activePromo[k] = Int32(i)
                promoLift[k] = pow(promos[i].price / price, item.elasticity)
            } else {
                activePromo[k] = -1
            }
            conflictPrice[k] = 0
        }
        for c in pricing.conflicts where c.start <= d && d <= c.end {
            conflictPrice[c.sku] = c.price
            conflictChannel[c.sku] = c.channel
        }
    }

    /// A SKU's demand level on day `d` at its list price, before promotions, store traffic and the
    /// pair's own effects (0 when it is not on sale).
    func skuLevel(_ k: Int, day d: Int) -> Double {
        let item = net.items[k]
        guard d >= item.launch && d < item.discontinue else { return 0 }
        let priceFactor = pow(pricing.daily[k][d] / item.price, item.elasticity)
        let trend = exp(item.trend * Double(d) / 365)
        // A launch ramps up over its first two weeks.
        let ramp = item.launch > 0 ? min(1, 0.4 + Double(d - item.launch) / 20) : 1
        return item.base * rateScale * trend * calendar.season[item.department][d] * priceFactor * ramp
    }

    func receiveArrivals(_ d: Int) {
        for a in arrivals[d] {
            onHand[Int(a.pair)] += a.qty
        }
        for a in arrivals[d] { inTransit[Int(a.pair)] -= a.qty }
        arrivals[d] = []
    }

    /// The effective price of a SKU today on a channel at a location, and the promotion that sets it.
    func effectivePrice(_ k: Int, channel: Channel, location: Int) -> (price: Double, promo: Int32) {
        let a = activePromo[k]
        if a >= 0 {
            let sp = pricing.skuPromos[k][Int(a)]
            if pricing.promotions[sp.promo].covers(channel: channel, location: location) { return (sp.price, Int32(sp.promo)) }
        }
        if conflictPrice[k] > 0 && conflictChannel[k] == channel { return (conflictPrice[k], -1) }
        return (priceNow[k], -1)
    }

    // MARK: Stores

    func storeDay(_ s: Int, _ d: Int) {
        let loc = net.locations[s]
        let traffic = calendar.store[d] * loc.size
        guard traffic > 0 else { return }
        var rng = storeRng[s]
        defer { storeRng[s] = rng }
        lines.removeAll(keepingCapacity: true)
        let base = s * skuCount
        let regionRow = regionCategory[loc.region]
        let phantomDue = plan.due(.inventoryMismatch, location: s, day: d) && anomalyVariant(s, d) == 1
        var phantomDone = false
        for k in 0..<skuCount {
            let level = skuDay[k]
            if level == 0 { continue }
            let item = net.items[k]
            if item.dropship { continue }
            let p = base + k
            var mean = level * traffic * regionRow[item.category] * pairEffect[p]
            var promo: Int32 = -1
            var price = priceNow[k]
            let a = activePromo[k]
            if a >= 0 {
                let sp = pricing.skuPromos[k][Int(a)]
                if pricing.promotions[sp.promo].covers(channel: .store, location: s) {
                    promo = Int32(sp.promo); price = sp.price; mean *= promoLift[k]
                }
            }
            if pairFlag[p] != 0 {
                if handleSpecialPair(p, s: s, k: k, d: d, mean: mean, promo: promo, price: price) { continue }
            }
            var stock = onHand[p]
            if phantomDue && !phantomDone && stock == 0 && wasZero[p] && lastSnap[p] < Int32(d) && lastSnap[p] >= 0 {
                // A sale recorded while the snapshot says there is no stock.
                lines.append(PendingLine(sku: Int32(k), qty: 1, location: Int32(s), promo: promo, price: price, mark: .phantom))
                phantomDone = true
                plan.consume(.inventoryMismatch, location: s)
                plan.record(TruthRow(kind: .inventoryMismatch, location: locationIDs[s], sku: skuIDs[k], date: config.startDate.adding(d)))
            }
            let n = rng.negativeBinomial(mean: mean, dispersion: 0.8)
            if n > 0 && stock > 0 {
                for _ in 0..<n {
                    let u = rng.uniform()
                    let want: Int32 = u < 0.86 ? 1 : (u < 0.97 ? 2 : 3)
                    let q = min(want, stock)
                    lines.append(PendingLine(sku: Int32(k), qty: q, location: Int32(s), promo: promo, price: price))
                    stock -= q
                    if stock == 0 { break }
                }
                if pairFlag[p] & 4 != 0 && promo < 0 { recordDropHistory(p, day: d, units: onHand[p] - stock) }
                onHand[p] = stock
                lastSale[p] = Int32(d)
            } else if pairFlag[p] & 4 != 0 && promo < 0 {
                recordDropHistory(p, day: d, units: 0)
            }
        }
        injectStoreLines(s, d, rng: &rng)
        guard !lines.isEmpty else { return }
        // Shuffle and group into baskets of 1–4 lines.
        for i in stride(from: lines.count - 1, to: 0, by: -1) { lines.swapAt(i, rng.int(i + 1)) }
        var baskets: [Range<Int>] = []
        var i = 0
        while i < lines.count {
            let u = rng.uniform()
            let size = u < 0.55 ? 1 : (u < 0.8 ? 2 : (u < 0.93 ? 3 : 4))
            let e = min(lines.count, i + size)
            baskets.append(i..<e)
            i = e
        }
        var times = (0..<baskets.count).map { _ in Int32(9 * 3600 + Int(12 * 3600 * min(0.999, (rng.uniform() + rng.uniform() + rng.uniform()) / 3 * 1.1))) }
        times.sort()
        let abuserDue = abuserIndexDue(store: s, day: d)
        var abuserUsed = false
        for (b, range) in baskets.enumerated() {
            var customer: Int32 = -1
            var abuser = false
            if abuserDue >= 0 && !abuserUsed {
                customer = Int32(abusers[abuserDue].customer); abuser = true; abuserUsed = true
                abuserNext[abuserDue] += 1
            } else if rng.chance(0.4) {
                let u = rng.uniform()
                customer = Int32(s * customersPerStore + Int(Double(customersPerStore - 10) * u * u))
            }
            let u = rng.uniform()
            var tender: Tender = u < 0.70 ? .card : (u < 0.85 ? .cash : (u < 0.92 ? .giftCard : .loyalty))
            if tender == .loyalty && customer < 0 { tender = .card }
            let cashier = Int32(rng.int(cashiers[s]))
            writeTransaction(range, channel: .store, day: d, second: times[b], tender: tender, customer: customer,
                             cashier: cashier, store: s, abuser: abuser, rng: &rng)
        }
    }

    /// Which injected-anomaly variant a store-day uses (cycles a/b/c deterministically).
    func anomalyVariant(_ s: Int, _ d: Int) -> Int { (s * 7 + d) % 3 }

    func abuserIndexDue(store s: Int, day d: Int) -> Int {
        for (i, a) in abusers.enumerated() where a.store == s {
            let n = abuserNext[i]
            if n < abuserDays[i].count && abuserDays[i][n] <= d { return i }
        }
        return -1
    }
}
