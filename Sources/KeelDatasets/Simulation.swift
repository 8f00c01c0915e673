import Foundation
import KeelCore

/// A sale line before it is grouped into a transaction and written.
struct PendingLine {
    var sku: Int32
    var qty: Int32
    var location: Int32
    var promo: Int32  // promotion index or -1
    var price: Double
    var discount: Double = 0
    var mark: LineMark = .none
}

enum LineMark: UInt8 {
    case none, belowCost, override, promoOutside, spike, phantom
}

/// A return scheduled for a later day.
struct PendingReturn {
    var transaction: Int  // 0 = no receipt
    var sku: Int32
    var qty: Int32
    var refund: Double
    var channel: Channel
    var location: Int32
    var reason: UInt8
    var disposition: Disposition
    var tender: Tender
    var cashier: Int32
    var customer: Int32
    var second: Int32
    var mark: AnomalyKind?
}

/// Scheduled stock arriving at a location.
struct Arrival {
    var pair: Int32
    var qty: Int32
}

/// The day-by-day simulation of demand, sales, returns, stock, replenishment and payments.
/// Single-threaded and deterministic: every random draw comes from a stream derived from the seed.
final class Simulation {
    let config: RetailerConfiguration
    let net: Network
    let pricing: PricingPlan
    let calendar: RetailCalendar
    var plan: AnomalyPlan
    let dir: String
    let days: Int
    let skuCount: Int
    let storeCount: Int
    let stocked: Int  // stores + DCs

    // Writers.
    let sales, returns, inventory, purchaseOrders, transfers, settlements: CSVWriter

    // Demand.
    var rateScale: Double
    var onlineScale: Double
    var pairEffect: [Double]  // store × sku
    var regionCategory: [[Double]]
    var staticRate: [Double]  // stocked pair → planning rate per day (before season)
    var skuDay: [Double]  // today's per-sku demand level
    var priceNow: [Double]
    var activePromo: [Int32]  // index into pricing.skuPromos[sku] or -1
    var promoPtr: [Int]
    var promoLift: [Double]
    var conflictPrice: [Double]  // today's conflicting channel price (0 = none)
    var conflictChannel: [Channel]

    // Stock.
    var onHand: [Int32]
    var inTransit: [Int32]
    var damaged: [Int32]
    var wasZero: [Bool]
    var lastSnap: [Int32]
    /// Available stock (on hand − reserved − damaged) in each pair's latest snapshot (1 before any).
    var lastSnapAvailable: [Int32]
    var arrivals: [[Arrival]]
    var returnQueue: [[PendingReturn]]
    var laneTransit: [Int]

    // Ids.
    var nextTransaction = 0
    var nextOrder = 0
    var nextReturn = 0
    var nextSettlement = 0
    var nextPO = 0
    var nextTransfer = 0
    let skuIDs: [String]
    let locationIDs: [String]
    let customersPerStore = 3000
    let onlineCustomers: Int
    var cashiers: [Int]

    // Anomaly plans.
    var spikePlans: [Int: (day: Int, factor: Double)] = [:]
    /// Store pair → its drop: the first day it may start, extra days beyond `SalesDropRule`'s
    /// length, the whole length once confirmed (0 before) and whether it has started.
    var dropPlans: [Int: (start: Int, extra: Int, length: Int, confirmed: Bool)] = [:]
    /// Drops still to be given a pair: the day they may start and their extra days.
    var pendingDrops: [(start: Int, extra: Int)] = []
    /// Pairs a drop may be put on (flag 4) and their daily store units on ordinary days
    /// (candidate-major, `days` per candidate; −1 = not an ordinary day), for `SalesDropRule`.
    var dropCandidates: [Int] = []
    var dropCandidateRow: [Int: Int] = [:]
    var dropHistory: [Int32] = []
    var dropRejected: Set<Int> = []
    /// Store pair → the last day it sold (demand lines), for dating drops.
    var lastSale: [Int32]
    var pairFlag: [UInt8]
    var leakage: [(store: Int, category: Int, start: Int, end: Int)] = []
    var abusers: [(store: Int, customer: Int)] = []
    var abuserDays: [[Int]] = []
    var abuserNext: [Int] = []
    var outlierCashiers: [(store: Int, cashier: Int)] = []
    var fraudCustomers: [Int] = []
    var fraudStores: [Int] = []

    // Random streams.
    var storeRng: [SeededRandom]
    var onlineRng: SeededRandom
    var opsRng: SeededRandom
    var returnRng: SeededRandom
    var anomalyRng: SeededRandom

    var lines: [PendingLine] = []
    var shrinkFollowUps: [Int] = []
    var onlineSalesLines = 0

    init(config: RetailerConfiguration, network: Network, pricing: PricingPlan, calendar: RetailCalendar,
         plan: AnomalyPlan, dir: String) throws {
        self.config = config
        net = network
        self.pricing = pricing
        self.calendar = calendar
        self.plan = plan
        self.dir = dir
        days = config.days
        skuCount = network.items.count
        storeCount = network.storeCount
        stocked = network.storeCount + network.dcCount
        sales = try CSVWriter(path: dir + "/sales.csv", header: Columns.sales)
        returns = try CSVWriter(path: dir + "/returns.csv", header: Columns.returns)
        inventory = try CSVWriter(path: dir + "/inventory.csv", header: Columns.inventory)
        purchaseOrders = try CSVWriter(path: dir + "/purchase_orders.csv", header: Columns.purchaseOrders)
        transfers = try CSVWriter(path: dir + "/transfers.csv", header: Columns.transfers)
        settlements = try CSVWriter(path: dir + "/settlements.csv", header: Columns.settlements)

        // Bigger assortments come with bigger, busier stores: units per SKU-store-day grow with
        // the assortment so that the benchmark configuration yields millions of lines.
        rateScale = 0.05 * pow(Double(config.skus) / 400, 0.72)
        onlineScale = Double(config.stores) * 0.3
        skuIDs = network.items.map(\.id)
        locationIDs = network.locations.map(\.id)
        onlineCustomers = 20_000 * max(1, config.stores / 10)
        var rng = SeededRandom(seed: config.seed, stream: 3)
        pairEffect = (0..<(config.stores * network.items.count)).map { _ in exp(0.5 * rng.normal() - 0.125) }
        regionCategory = (0..<5).map { _ in (0..<Assortment.categories.count).map { _ in rng.uniform(0.8, 1.2) } }
        cashiers = (0..<config.stores).map { s in 4 + Int(network.locations[s].size * 3) }
        let pairs = stocked * skuCount
        staticRate = Array(repeating: 0, count: pairs)
        skuDay = Array(repeating: 0, count: skuCount)
        priceNow = Array(repeating: 0, count: skuCount)
        activePromo = Array(repeating: -1, count: skuCount)
        promoPtr = Array(repeating: 0, count: skuCount)
        promoLift = Array(repeating: 1, count: skuCount)
        conflictPrice = Array(repeating: 0, count: skuCount)
        conflictChannel = Array(repeating: .app, count: skuCount)
        onHand = Array(repeating: 0, count: pairs)
        inTransit = Array(repeating: 0, count: pairs)
        damaged = Array(repeating: 0, count: pairs)
        wasZero = Array(repeating: true, count: pairs)
        lastSnap = Array(repeating: -10, count: pairs)
        lastSnapAvailable = Array(repeating: 1, count: pairs)
        arrivals = Array(repeating: [], count: config.days + 1)
        returnQueue = Array(repeating: [], count: config.days + 1)
        laneTransit = network.storeLaneTransit()
        pairFlag = Array(repeating: 0, count: config.stores * network.items.count)
        lastSale = Array(repeating: -10, count: config.stores * network.items.count)
        storeRng = (0..<config.stores).map { SeededRandom(seed: config.seed, stream: 1000 + UInt64($0)) }
        onlineRng = SeededRandom(seed: config.seed, stream: 4)
        opsRng = SeededRandom(seed: config.seed, stream: 5)
        returnRng = SeededRandom(seed: config.seed, stream: 6)
        anomalyRng = SeededRandom(seed: config.seed, stream: 7)

        // Planning rates.
        for s in 0..<storeCount {
            let region = net.locations[s].region
            let dc = net.locations[s].servingDC
            for k in 0..<skuCount where !net.items[k].dropship {
                let item = net.items[k]
                let r = item.base * rateScale * net.locations[s].size * regionCategory[region][item.category] * pairEffect[s * skuCount + k]
                staticRate[s * skuCount + k] = r
                staticRate[dc * skuCount + k] += r
            }
        }
        for k in 0..<skuCount where !net.items[k].dropship {
            for dc in net.dcRange { staticRate[dc * skuCount + k] += net.items[k].base * rateScale * onlineScale / Double(net.dcCount) }
        }
        // Opening stock: order-up-to levels for SKUs on sale from day 0.
        for p in 0..<pairs {
            let loc = p / skuCount, k = p % skuCount
            let item = net.items[k]
            guard !item.dropship, item.launch == 0 else { continue }
            let levels = loc < storeCount ? storeLevels(pair: p, store: loc, sku: k, day: 0) : dcLevels(pair: p, sku: k, day: 0)
            onHand[p] = Int32(levels.upTo)
            wasZero[p] = onHand[p] == 0
        }
    }

    func customerID(_ c: Int) -> String { makeID("C", c + 1, width: 7) }
    func cashierID(store: Int, _ c: Int) -> String { makeID("CS", (store + 1) * 100 + c + 1, width: 5) }
    func txnID(_ n: Int) -> String { makeID("S", n, width: 7) }

    // MARK: Replenishment levels

    /// (s, S) for a store pair: reorder when position < s; s covers lead time plus a safety margin.
    func storeLevels(pair p: Int, store s: Int, sku k: Int, day d: Int) -> (reorder: Int, upTo: Int) {
        let item = net.items[k]
        let lead = laneTransit[s] + 1
        let pd = min(days - 1, d + lead)
        let trend = exp(item.trend * Double(d) / 365)
        let r = staticRate[p] * calendar.plan[item.department][pd] * trend
        let need = r * Double(lead)
        let reorder = max(2, Int((need + 0.9 * need.squareRoot()).rounded(.up)))
        return (reorder, reorder + max(2, Int((r * 10).rounded(.up))))
    }

    func dcLevels(pair p: Int, sku k: Int, day d: Int) -> (reorder: Int, upTo: Int) {
        let item = net.items[k]
        let sup = net.suppliers[item.supplier]
        let lead = sup.leadTime + 3
        let pd = min(days - 1, d + lead)
        let trend = exp(item.trend * Double(d) / 365)
        let r = staticRate[p] * calendar.plan[item.department][pd] * trend
        let need = r * Double(lead) + 1.3 * (r * Double(lead)).squareRoot() + r * sup.leadTimeSD * 1.2
        let reorder = max(item.casePack, Int(need.rounded(.up)))
        return (reorder, reorder + max(item.casePack, Int((r * 21).rounded(.up))))
    }
}
