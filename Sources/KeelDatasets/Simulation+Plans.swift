import Foundation
import KeelCore

extension Simulation {
    /// Plans the anomalies tied to entities rather than single events: spikes and drops on
    /// steady sellers, margin leakage combinations, abusive customers, outlier cashiers and the
    /// no-receipt fraud ring.
    ///
    /// `sales_drop` truth is one row per gap, dated on the gap's first day: the day after a day the
    /// pair sold, with stock on hand and no promotion (see `handleSpecialPair`).
    func planPairAnomalies(count: (Double) -> Int, rng: inout SeededRandom) {
        // Steady sellers: the top store pairs by planning rate.
        var candidates: [(Int, Double)] = []
        for s in 0..<storeCount {
            for k in 0..<skuCount where !net.items[k].dropship && net.items[k].launch == 0 && net.items[k].discontinue == Int.max {
                candidates.append((s * skuCount + k, staticRate[s * skuCount + k]))
            }
        }
        candidates.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        let top = Array(candidates.prefix(max(20, candidates.count / 20)))
        guard !top.isEmpty else { return }
        for _ in 0..<count(15) {
            let p = top[rng.int(top.count)].0
            guard spikePlans[p] == nil, dropPlans[p] == nil else { continue }
            spikePlans[p] = (20 + rng.int(days - 25), rng.uniform(8, 20))
            pairFlag[p] |= 1
        }
        // Drops: sales stop on a selling pair while its stock stays on the shelf (a lost or
        // mislabelled shelf, a scanning fault), for long enough that its own sales history tells
        // the gap from chance (`SalesDropRule`). Only the days are planned here; on each drop's
        // day a pair is drawn among the candidates whose realized sales so far support such a
        // gap (`assignDrops`). Candidates: the top store pairs by planning rate (10 per drop, at
        // least 40), whose daily units the simulation records from day 0.
        let wanted = count(12)
        dropCandidates = candidates.prefix(max(40, 10 * wanted)).map(\.0).filter { pairFlag[$0] & 1 == 0 }
        for (row, p) in dropCandidates.enumerated() {
            dropCandidateRow[p] = row
            pairFlag[p] |= 4
        }
        dropHistory = Array(repeating: -1, count: dropCandidates.count * days)
        // A drop may start once 13 weeks of history exist, and early enough to run its course.
        let firstStart = 91, lastStart = days - SalesDropRule.maximumDays - 15
        if lastStart > firstStart {
            for _ in 0..<wanted { pendingDrops.append((firstStart + rng.int(lastStart - firstStart), rng.int(6))) }
        }
        // Margin leakage: a month of heavy line discounts on one category at one store.
        let leakCount = days >= 120 && storeCount >= 3 ? 2 : 1
        for i in 0..<leakCount {
            let s = (i * 5 + rng.int(storeCount)) % storeCount
            let start = 10 + rng.int(max(1, days - 45))
            leakage.append((s, [0, 1, 3][rng.int(3)], start, min(days - 2, start + 29)))
        }
        // Return-rate outliers: abusive customers (buy and return most) and cashiers.
        let abuserCount = 2 + rng.int(3)
        for _ in 0..<abuserCount {
            let s = rng.int(storeCount)
            let c = s * customersPerStore + customersPerStore - 5 + rng.int(5)
            guard !abusers.contains(where: { $0.customer == c }) else { continue }
            abusers.append((s, c))
            let n = max(12, min(50, days / 12))
            abuserDays.append((0..<n).map { _ in rng.int(days - 35) }.sorted())
            abuserNext.append(0)
        }
        let cashierCount = storeCount >= 3 ? 2 : 1
        for i in 0..<cashierCount {
            let s = (i * 7 + 1 + rng.int(storeCount)) % storeCount
            guard !outlierCashiers.contains(where: { $0.store == s }) else { continue }
            outlierCashiers.append((s, rng.int(cashiers[s])))
        }
        // No-receipt fraud: a few customers at a few stores, repeatedly.
        let fraudBase = storeCount * customersPerStore + onlineCustomers
        fraudCustomers = (0..<(2 + rng.int(2))).map { fraudBase + $0 * 7 + rng.int(5) }
        fraudStores = Array(Set((0..<min(storeCount, 2)).map { _ in rng.int(storeCount) })).sorted()
        plan.schedule(.refundWithoutSale, count: count(20), locations: fraudStores, days: 14..<(days - 1), rng: &rng)
    }

    /// Truth rows for the entity anomalies, written once the history is complete.
    func recordEntityAnomalies() {
        for l in leakage {
            plan.record(TruthRow(kind: .marginLeakage, location: locationIDs[l.store], channel: .store,
                                 category: Assortment.categories[l.category].name))
        }
        for a in abusers { plan.record(TruthRow(kind: .returnRateOutlier, customer: customerID(a.customer))) }
        for c in outlierCashiers {
            plan.record(TruthRow(kind: .returnRateOutlier, location: locationIDs[c.store], cashier: cashierID(store: c.store, c.cashier)))
        }
    }

    /// orders.csv: the online orders still to be sourced on the last day (open), plus some
    /// released lines with their node and a few cancelled ones.
    func writeOpenOrders() throws -> Int {
        var rng = SeededRandom(seed: config.seed, stream: 9)
        let w = try CSVWriter(path: dir + "/orders.csv", header: Columns.orders)
        let last = days - 1
        let perDay = Double(onlineSalesLines) / Double(days)
        let orderCount = max(10, Int(perDay * 6.5 / 1.4))
        let active = (0..<skuCount).filter { skuDay[$0] > 0 }
        guard !active.isEmpty else { try w.close(); return 0 }
        let zones = net.zones
        for _ in 0..<orderCount {
            nextOrder += 1
            let id = makeID("O", nextOrder, width: 7)
            let ageHours = rng.int(60)
            let created = Int64(config.startDate.adding(last).rawValue) * 86_400 + 20 * 3600 - Int64(ageHours) * 3600 + Int64(rng.int(3600))
            let createdDay = Day(rawValue: Int32(created / 86_400))
            let (channel, _) = Simulation.onlineChannels[rng.weighted(Simulation.onlineChannels.map(\.1))]
            let zone = zones[rng.int(zones.count)]
            let u = rng.uniform()
            var service = u < 0.72 ? "standard" : (u < 0.88 ? "express" : (u < 0.93 ? "same_day" : "pickup"))
            var pickup: Int? = nil
            if service == "pickup" { pickup = rng.int(storeCount) }
            let lineCount = 1 + (rng.chance(0.3) ? 1 + rng.int(2) : 0)
            let status = ageHours > 36 && rng.chance(0.5) ? "released" : (rng.chance(0.03) ? "cancelled" : "open")
            var usedSkus: [Int] = []
            for line in 1...lineCount {
                var k = active[rng.int(active.count)]
                while usedSkus.contains(k) { k = active[rng.int(active.count)] }
                usedSkus.append(k)
                let item = net.items[k]
                if item.dropship && service != "standard" && service != "express" { service = "standard"; pickup = nil }
                let promiseDays = service == "standard" ? 5 : (service == "express" ? 2 : (service == "same_day" ? 0 : 1))
                w.field(id); w.field(line); w.timestamp(created); w.field(channel.rawValue); w.field(skuIDs[k])
                w.field(rng.chance(0.9) ? 1 : 2); w.field(zone.id); w.field(service)
                w.field(createdDay.adding(promiseDays))
                if let pickup { w.field(locationIDs[pickup]) } else { w.null() }
                w.field(status)
                if status == "released" {
                    w.field(locationIDs[item.dropship ? net.dropshipLocation : net.storeCount + rng.int(net.dcCount)])
                } else {
                    w.null()
                }
                w.endRow()
            }
        }
        try w.close()
        return w.rowsWritten
    }
}
