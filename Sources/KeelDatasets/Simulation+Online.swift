import Foundation
import KeelCore

extension Simulation {
    static let onlineChannels: [(Channel, Double)] = [(.web, 0.55), (.app, 0.30), (.marketplace, 0.12), (.callCenter, 0.03)]

    /// Online demand per channel and SKU, fulfilled from a DC (sometimes a ship-from-store;
    /// drop-ship items from the drop-ship node), grouped into orders of 1–3 lines.
    func onlineDay(_ d: Int) {
        var rng = onlineRng
        defer { onlineRng = rng }
        let traffic = calendar.online[d] * onlineScale
        let shipStores = (0..<storeCount).filter { net.locations[$0].shipsToCustomer }
        for (channel, share) in Simulation.onlineChannels {
            lines.removeAll(keepingCapacity: true)
            for k in 0..<skuCount {
                let level = skuDay[k]
                if level == 0 { continue }
                let item = net.items[k]
                var mean = level * traffic * share * (item.dropship ? 1.5 : 1)
                var (price, promo) = effectivePrice(k, channel: channel, location: -1)
                if promo >= 0 { mean *= promoLift[k] }
                else if conflictPrice[k] > 0 && conflictChannel[k] == channel { mean *= pow(price / priceNow[k], item.elasticity) }
                let n = rng.negativeBinomial(mean: mean, dispersion: 1.2)
                for _ in 0..<n {
                    let qty: Int32 = rng.chance(0.9) ? 1 : 2
                    var node = -1
                    if item.dropship {
                        node = net.dropshipLocation
                    } else {
                        if !shipStores.isEmpty && rng.chance(0.08) {
                            let s = shipStores[rng.int(shipStores.count)]
                            if onHand[s * skuCount + k] >= qty + 1 { node = s }
                        }
                        if node < 0 {
                            let first = rng.int(net.dcCount)
                            for j in 0..<net.dcCount {
                                let dc = net.storeCount + (first + j) % net.dcCount
                                if onHand[dc * skuCount + k] >= qty { node = dc; break }
                            }
                        }
                        if node < 0 { continue }  // lost sale
                        onHand[node * skuCount + k] -= qty
                    }
                    // Promotions that name a location never cover the online fulfilment node.
                    if promo >= 0, let l = pricing.promotions[Int(promo)].location, l != node { price = priceNow[k]; promo = -1 }
                    lines.append(PendingLine(sku: Int32(k), qty: qty, location: Int32(node), promo: promo, price: price))
                }
            }
            if lines.isEmpty { continue }
            if net.dcCount > 0, plan.due(.priceBelowCost, location: net.storeCount, day: d),
               let i = lines.firstIndex(where: { $0.promo < 0 && Int($0.location) == net.storeCount && conflictPrice[Int($0.sku)] == 0 }) {
                plan.consume(.priceBelowCost, location: net.storeCount)
                lines[i].price = round2(net.items[Int(lines[i].sku)].cost * rng.uniform(0.55, 0.9))
                lines[i].mark = .belowCost
            }
            for i in stride(from: lines.count - 1, to: 0, by: -1) { lines.swapAt(i, rng.int(i + 1)) }
            var i = 0
            var orders: [Range<Int>] = []
            while i < lines.count {
                let u = rng.uniform()
                let e = min(lines.count, i + (u < 0.7 ? 1 : (u < 0.92 ? 2 : 3)))
                orders.append(i..<e)
                i = e
            }
            var times = (0..<orders.count).map { _ in Int32(rng.int(86_400)) }
            times.sort()
            for (o, range) in orders.enumerated() {
                nextOrder += 1
                onlineSalesLines += range.count
                let customer = Int32(storeCount * customersPerStore + rng.int(onlineCustomers))
                let tender: Tender = channel == .marketplace ? .marketplace : (rng.chance(0.95) ? .card : .giftCard)
                writeTransaction(range, channel: channel, day: d, second: times[o], tender: tender, customer: customer,
                                 cashier: -1, store: -1, abuser: false, orderID: makeID("O", nextOrder, width: 7), rng: &rng)
            }
        }
    }

    // MARK: Replenishment

    /// Stores order up to S from their DC when the position (on hand + in transit) falls below s.
    func replenishStores(_ d: Int) {
        for s in 0..<storeCount {
            let dc = net.locations[s].servingDC
            let transit = laneTransit[s]
            var transferID: String? = nil
            for k in 0..<skuCount {
                let item = net.items[k]
                if item.dropship || d < item.launch - transit - 1 || d >= item.discontinue - 14 { continue }
                let p = s * skuCount + k
                let position = Int(onHand[p] + inTransit[p])
                if position >= 2 && staticRate[p] * 3 < 1 && position >= 3 { continue }  // fast path for slow movers
                let levels = storeLevels(pair: p, store: s, sku: k, day: max(d, item.launch))
                guard position < levels.reorder else { continue }
                let dp = dc * skuCount + k
                let qty = min(Int32(levels.upTo - position), onHand[dp])
                guard qty > 0 else { continue }
                onHand[dp] -= qty
                inTransit[p] += qty
                let arrive = d + transit + (opsRng.chance(0.1) ? 1 : 0)
                if arrive < days { arrivals[arrive].append(Arrival(pair: Int32(p), qty: qty)) }
                if transferID == nil { nextTransfer += 1; transferID = makeID("TR", nextTransfer, width: 7) }
                transfers.field(transferID!); transfers.field(locationIDs[dc]); transfers.field(locationIDs[s])
                transfers.field(skuIDs[k]); transfers.field(Int(qty)); transfers.field(config.startDate.adding(d))
                if arrive < days { transfers.field(config.startDate.adding(arrive)) } else { transfers.null() }
                transfers.endRow()
            }
        }
    }

    /// DCs order from suppliers in case packs with variable lead times; some receipts are short.
    func replenishDCs(_ d: Int) {
        var poOfSupplier: [Int] = Array(repeating: -1, count: net.suppliers.count)
        for dc in net.dcRange {
            for i in poOfSupplier.indices { poOfSupplier[i] = -1 }
            for k in 0..<skuCount {
                let item = net.items[k]
                let sup = net.suppliers[item.supplier]
                if item.dropship || d < item.launch - sup.leadTime - 10 || d >= item.discontinue - 30 { continue }
                let p = dc * skuCount + k
                let position = Int(onHand[p] + inTransit[p])
                let levels = dcLevels(pair: p, sku: k, day: max(d, item.launch))
                guard position < levels.reorder else { continue }
                var qty = max(levels.upTo - position, item.minOrderQty)
                qty = (qty + item.casePack - 1) / item.casePack * item.casePack
                let lead = max(1, Int((Double(sup.leadTime) + sup.leadTimeSD * opsRng.normal()).rounded()))
                let arrive = d + lead
                let received = opsRng.chance(0.08) ? max(1, Int(Double(qty) * opsRng.uniform(0.8, 0.97))) : qty
                inTransit[p] += Int32(qty)
                if arrive < days {
                    arrivals[arrive].append(Arrival(pair: Int32(p), qty: Int32(received)))
                    // The shortfall never arrives: clear it from the pipeline on the receipt day.
                    if received < qty { inTransit[p] -= Int32(qty - received) }
                }
                if poOfSupplier[item.supplier] < 0 { nextPO += 1; poOfSupplier[item.supplier] = nextPO }
                purchaseOrders.field(makeID("PO", poOfSupplier[item.supplier], width: 6)); purchaseOrders.field(sup.id)
                purchaseOrders.field(locationIDs[dc]); purchaseOrders.field(skuIDs[k]); purchaseOrders.field(qty)
                purchaseOrders.field(config.startDate.adding(d)); purchaseOrders.field(config.startDate.adding(d + sup.leadTime))
                if arrive < days {
                    purchaseOrders.field(config.startDate.adding(arrive)); purchaseOrders.field(received)
                } else {
                    purchaseOrders.null(); purchaseOrders.null()
                }
                purchaseOrders.endRow()
            }
        }
    }
}
