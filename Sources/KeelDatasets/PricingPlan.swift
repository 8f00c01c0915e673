import Foundation
import KeelCore

/// One promotion: a window, a coverage (channel and location, nil = all) and its SKU rows.
struct Promotion {
    var id: String
    var start: Int
    var end: Int
    var channel: Channel?
    var location: Int?
    /// Discount as a fraction when the promotion is written with `discount_pct`.
    var discountPct: Double?
    var rows: [(sku: Int, promoPrice: Double?)]

    func covers(channel c: Channel, location l: Int) -> Bool {
        (channel == nil || channel == c) && (location == nil || location == l)
    }
}

/// A promotion window of one SKU, as the simulation looks it up.
struct SkuPromo {
    var promo: Int
    var start: Int
    var end: Int
    /// The price charged under the promotion.
    var price: Double
}

/// An injected channel price conflict: one channel gets a different list price for a few days.
struct PriceConflict {
    var sku: Int
    var channel: Channel
    var start: Int
    var end: Int
    var price: Double
}

/// List prices day by day (changes and end-of-season markdowns), promotions and the injected
/// channel price conflicts.
struct PricingPlan {
    /// sku × day list price (the same on every channel).
    var daily: [[Double]]
    var promotions: [Promotion]
    /// Per SKU, its promotion windows sorted by start (never overlapping).
    var skuPromos: [[SkuPromo]]
    var conflicts: [PriceConflict]

    static func build(_ config: RetailerConfiguration, network: Network, conflictCount: Int) -> PricingPlan {
        var rng = SeededRandom(seed: config.seed, stream: 2)
        let days = config.days
        let start = config.startDate
        var daily: [[Double]] = []
        daily.reserveCapacity(network.items.count)
        for item in network.items {
            var row = Array(repeating: item.price, count: days)
            // A list-price change for some items.
            if rng.chance(0.3) && days > 120 {
                let c = 60 + rng.int(days - 90)
                let newPrice = charmPrice(item.price * rng.uniform(1.03, 1.09))
                for d in c..<days { row[d] = newPrice }
            }
            // End-of-season markdowns for seasonal fashion.
            let dept = Assortment.departments[item.department]
            if dept.fashion && dept.amplitude >= 0.5 {
                let winter = dept.peak > 250 || dept.peak < 60
                for d in 0..<days {
                    let day = start.adding(d)
                    let (_, m, dom) = day.civil
                    let isStart = winter ? (m == 1 && dom == 5) : (m == 7 && dom == 10)
                    guard isStart, rng.chance(0.7) else { continue }
                    let length = winter ? 37 : 41
                    let pct = rng.uniform(0.25, 0.4)
                    for k in d..<min(days, d + length) {
                        row[k] = max(charmPrice(row[k] * (1 - pct)), round2(item.cost * 1.08))
                    }
                }
            }
            daily.append(row)
        }

        // Channel price conflicts (anomalies): a few days where the app price differs.
        var conflicts: [PriceConflict] = []
        var busy: [[(Int, Int)]] = Array(repeating: [], count: network.items.count)
        var attempts = 0
        while conflicts.count < conflictCount && attempts < conflictCount * 50 {
            attempts += 1
            let sku = rng.int(network.items.count)
            let item = network.items[sku]
            let len = 3 + rng.int(3)
            let s = 10 + rng.int(max(1, days - len - 20))
            let e = s + len - 1
            guard item.launch <= s, item.discontinue > e + 1, isConstant(daily[sku], s - 1, e + 1) else { continue }
            guard busy[sku].allSatisfy({ e + 3 < $0.0 || s > $0.1 + 3 }) else { continue }
            let list = daily[sku][s]
            var price = charmPrice(list * (rng.chance(0.5) ? rng.uniform(0.8, 0.9) : rng.uniform(1.1, 1.2)))
            if price < item.cost * 1.1 || price == list { price = charmPrice(list * 1.15) }
            let channel: Channel = item.dropship ? .web : (rng.chance(0.6) ? .app : .web)
            conflicts.append(PriceConflict(sku: sku, channel: channel, start: s, end: e, price: price))
            busy[sku].append((s, e))
        }

        // Promotions.
        var promotions: [Promotion] = []
        var skuPromos: [[SkuPromo]] = Array(repeating: [], count: network.items.count)
        let promoCount = max(3, Int(Double(days) / 7 * (1 + Double(config.stores) / 30)))
        let storeSkus = network.items.indices.filter { !network.items[$0].dropship }
        for _ in 0..<promoCount {
            let len = 3 + rng.int(12)
            let s = rng.int(max(1, days - len))
            let e = min(days - 1, s + len - 1)
            let kind = rng.uniform()
            var channel: Channel? = nil
            var location: Int? = nil
            if kind < 0.2 { channel = rng.chance(0.6) ? .web : .app }
            else if kind < 0.45 { channel = .store; location = rng.int(config.stores) }
            let usePct = rng.chance(0.5)
            let pct = [0.15, 0.2, 0.25, 0.3, 0.4][rng.int(5)]
            let target = 5 + rng.int(21)
            let pool = channel == .store ? storeSkus : Array(network.items.indices)
            let category = rng.chance(0.6) ? rng.int(Assortment.categories.count) : -1
            var rows: [(sku: Int, promoPrice: Double?)] = []
            var tries = 0
            var chosen = Set<Int>()
            while rows.count < target && tries < target * 8 {
                tries += 1
                let sku = pool[rng.int(pool.count)]
                let item = network.items[sku]
                if category >= 0 && item.category != category { continue }
                if chosen.contains(sku) { continue }
                guard item.launch <= s, item.discontinue > e, isConstant(daily[sku], s - 1, min(days - 1, e + 1)) else { continue }
                guard busy[sku].allSatisfy({ e + 2 < $0.0 || s > $0.1 + 2 }) else { continue }
                let list = daily[sku][s]
                let promoPrice = usePct ? round2(list * (1 - pct)) : charmPrice(list * (1 - pct))
                guard promoPrice >= item.cost * 1.05, promoPrice < list else { continue }
                chosen.insert(sku)
                rows.append((sku, usePct ? nil : promoPrice))
                busy[sku].append((s, e))
                skuPromos[sku].append(SkuPromo(promo: promotions.count, start: s, end: e, price: promoPrice))
            }
            guard !rows.isEmpty else { continue }
            promotions.append(Promotion(id: makeID("PROMO", promotions.count + 1, width: 4), start: s, end: e,
                                        channel: channel, location: location, discountPct: usePct ? pct : nil, rows: rows))
        }
        for k in skuPromos.indices { skuPromos[k].sort { $0.start < $1.start } }
        return PricingPlan(daily: daily, promotions: promotions, skuPromos: skuPromos, conflicts: conflicts)
    }

    static func isConstant(_ row: [Double], _ a: Int, _ b: Int) -> Bool {
        let lo = max(0, a), hi = min(row.count - 1, b)
        guard lo <= hi else { return true }
        let p = row[lo]
        for d in lo...hi where row[d] != p { return false }
        return true
    }

    /// prices.csv: one row per (sku, channel) run of equal list price, previous row ended the
    /// day before the next starts; then the conflict rows (a later start on one channel wins).
    func writePrices(to path: String, network: Network, start: Day) throws -> Int {
        let w = try CSVWriter(path: path, header: Columns.prices)
        for (sku, row) in daily.enumerated() {
            var runs: [(Int, Int, Double)] = []
            var a = 0
            for d in 1...row.count where d == row.count || row[d] != row[a] {
                runs.append((a, d - 1, row[a]))
                a = d
            }
            for channel in Channel.allCases {
                for (i, r) in runs.enumerated() {
                    w.field(network.items[sku].id); w.field(channel.rawValue); w.null()
                    w.field(r.2, decimals: 2); w.field(start.adding(r.0))
                    if i == runs.count - 1 { w.null() } else { w.field(start.adding(r.1)) }
                    w.endRow()
                }
            }
        }
        for c in conflicts {
            w.field(network.items[c.sku].id); w.field(c.channel.rawValue); w.null()
            w.field(c.price, decimals: 2); w.field(start.adding(c.start)); w.field(start.adding(c.end))
            w.endRow()
        }
        try w.close()
        return w.rowsWritten
    }

    func writePromotions(to path: String, network: Network, start: Day) throws -> Int {
        let w = try CSVWriter(path: path, header: Columns.promotions)
        for p in promotions {
            for r in p.rows {
                w.field(p.id); w.field(network.items[r.sku].id)
                w.field(p.channel?.rawValue)
                if let l = p.location { w.field(network.locations[l].id) } else { w.null() }
                w.field(start.adding(p.start)); w.field(start.adding(p.end))
                w.field(r.promoPrice, decimals: 2)
                w.field(p.discountPct, decimals: 4)
                w.endRow()
            }
        }
        try w.close()
        return w.rowsWritten
    }
}
