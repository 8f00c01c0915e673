import KeelCore
import KeelStore

/// The policy chosen for one (location, item) pair and where its supply comes from.
public struct PairPolicy: Sendable {
    public var pair: PairKey
    public var serviceClass: String
    public var target: Double
    /// Supplier orders (DCs) or the DC a store draws from.
    public var supplierKey: Int64?
    public var sourceLocationKey: Int64?
    public var leadTimeMean: Double
    public var leadTimeSD: Double
    public var leadTimeSource: String
    public var reviewDays: Int
    public var casePack: Double
    public var minOrderQty: Double
    public var unitCost: Double
    public var unitPrice: Double
    public var dailyMean: Double
    public var policy: ReorderPolicy
    /// Inventory position (available + inbound; for a DC the echelon: its stores' positions too).
    public var position: Double

    public init(pair: PairKey, serviceClass: String, target: Double, supplierKey: Int64?, sourceLocationKey: Int64?, leadTimeMean: Double,
                leadTimeSD: Double, leadTimeSource: String, reviewDays: Int, casePack: Double, minOrderQty: Double, unitCost: Double,
                unitPrice: Double, dailyMean: Double, policy: ReorderPolicy, position: Double) {
        self.pair = pair; self.serviceClass = serviceClass; self.target = target; self.supplierKey = supplierKey
        self.sourceLocationKey = sourceLocationKey; self.leadTimeMean = leadTimeMean; self.leadTimeSD = leadTimeSD
        self.leadTimeSource = leadTimeSource; self.reviewDays = reviewDays; self.casePack = casePack; self.minOrderQty = minOrderQty
        self.unitCost = unitCost; self.unitPrice = unitPrice; self.dailyMean = dailyMean; self.policy = policy; self.position = position
    }
}

/// Replenishment per (location, item) over two echelons: supplier → DC → store.
///
/// Stores draw from the DC that has supplied them most (historic transfers; else the fastest DC
/// lane) with the lane's transit days as lead time and whole units. A DC orders from the item's
/// supplier for its own channel demand plus the demand of the stores it supplies, on echelon stock
/// (its own position plus its stores'), with the supplier lead time observed on purchase-order
/// receipts (the supplier master until enough receipts exist); its reorder point also carries its
/// stores' safety stocks. Quantities respect case pack and MOQ; when a supplier × DC order falls
/// short of the supplier's minimum order value, the items closest to their reorder points are
/// pulled forward, then the triggered lines raised by whole cases, until it is met. Store orders a
/// DC cannot cover are rationed by need.
public struct ReplenishmentPlanner: Sendable {
    public struct Plan: Sendable {
        public var lines: [ReplenishmentRow]
        public var policies: [PairPolicy]
        public var notes: [String]
    }

    public let data: PlanningData
    public let demand: PairDemand
    public let configuration: PlanningConfiguration

    public init(data: PlanningData, demand: PairDemand, configuration: PlanningConfiguration) {
        self.data = data; self.demand = demand; self.configuration = configuration
    }

    /// The plan as of the forecast's as-of day; with `offset` > 0 the policies protect the windows
    /// starting that many days later (the simulator re-plans every day this way; positions and
    /// lines still refer to the as-of day).
    public func plan(offset: Int = 0) throws(PlanningError) -> Plan {
        try configuration.validate()
        let c = configuration
        let items = Dictionary(uniqueKeysWithValues: data.items.map { ($0.key, $0) })
        let suppliers = Dictionary(uniqueKeysWithValues: data.suppliers.map { ($0.key, $0) })
        let locations = Dictionary(uniqueKeysWithValues: data.locations.map { ($0.key, $0) })
        let observed = Dictionary(uniqueKeysWithValues: data.leadTimes.map { ($0.supplierKey, $0) })
        var positions: [PairKey: PlanningData.Position] = [:]
        for p in data.positions { positions[PairKey(p.locationKey, p.itemKey)] = p }
        func position(_ k: PairKey) -> Double { positions[k].map { max(0, $0.available) + $0.inboundQty } ?? 0 }

        for s in data.suppliers where s.leadTimeDays <= 0 {
            throw .invalidInput("supplier \(s.id) has lead time \(s.leadTimeDays) days: a supplier lead time must be positive")
        }
        for lane in data.lanes where locations[lane.from] == nil || locations[lane.to] == nil {
            throw .invalidInput("transfer lane \(lane.from) → \(lane.to) names an unknown location")
        }
        guard demand.count > 0 else { throw .invalidInput("the forecast has no (location, sku) demand to plan for") }

        // Store → DC assignment.
        let dcs = data.locations.filter { $0.type == .dc }.map(\.key)
        var storeDC: [Int64: (dc: Int64, transit: Int)] = [:]
        for l in data.locations where l.type == .store {
            let lanes = data.lanes.filter { $0.to == l.key && dcs.contains($0.from) }
            if let historic = data.supplyingDC[l.key], let lane = lanes.first(where: { $0.from == historic }) {
                storeDC[l.key] = (historic, lane.transitDays)
            } else if let lane = lanes.min(by: { ($0.transitDays, $0.costPerUnit, $0.from) < ($1.transitDays, $1.costPerUnit, $1.from) }) {
                storeDC[l.key] = (lane.from, lane.transitDays)
            }
        }

        // Store pairs first: their policies feed the DCs' echelon.
        struct Candidate { var pair: PairKey; var daily: (mean: Double, variance: Double); var p: Int? }
        var storePairs: [Candidate] = []
        var dcEchelon: [PairKey: (mean: [Double], variance: [Double], storePositions: Double, storeKeys: [PairKey])] = [:]
        for p in 0..<demand.count {
            let pair = demand.pairs[p]
            guard let loc = locations[pair.location] else { throw .invalidInput("the forecast names an unknown location key \(pair.location)") }
            guard items[pair.item] != nil else { throw .invalidInput("the forecast names an unknown item key \(pair.item)") }
            switch loc.type {
            case .store:
                guard let dc = storeDC[pair.location] else {
                    throw .invalidInput("store \(loc.id) has no transfer lane from a DC: it cannot be replenished")
                }
                storePairs.append(Candidate(pair: pair, daily: demand.daily(p), p: p))
                let dk = PairKey(dc.dc, pair.item)
                var e = dcEchelon[dk] ?? ([Double](repeating: 0, count: demand.horizon), [Double](repeating: 0, count: demand.horizon), 0, [])
                for (t, x) in demand.meanDays(p).enumerated() { e.mean[t] += x }
                for (t, x) in demand.varianceDays(p).enumerated() { e.variance[t] += x }
                e.storePositions += position(pair)
                e.storeKeys.append(pair)
                dcEchelon[dk] = e
            case .dc, .thirdPartyLogistics:
                var e = dcEchelon[pair] ?? ([Double](repeating: 0, count: demand.horizon), [Double](repeating: 0, count: demand.horizon), 0, [])
                for (t, x) in demand.meanDays(p).enumerated() { e.mean[t] += x }
                for (t, x) in demand.varianceDays(p).enumerated() { e.variance[t] += x }
                dcEchelon[pair] = e
            case .dropship:
                continue   // the drop-ship supplier holds the stock
            }
        }

        // Classes over every planned pair (stores on their own demand, DCs on the echelon's).
        var planned: [(pair: PairKey, daily: (mean: Double, variance: Double))] = storePairs.map { ($0.pair, $0.daily) }
        let dcKeys = dcEchelon.keys.sorted()
        for k in dcKeys {
            let e = dcEchelon[k]!
            let h = Double(demand.horizon)
            planned.append((k, (e.mean.reduce(0, +) / h, e.variance.reduce(0, +) / h)))
        }
        let classes = ServiceClass.classify(locations: planned.map(\.pair.location), dailyMean: planned.map(\.daily.mean),
                                            dailyVariance: planned.map(\.daily.variance),
                                            price: planned.map { items[$0.pair.item]!.unitPrice }, configuration: c)
        let holdingPerDay = { (cost: Double) in cost * c.holdingRatePerYear / 365 }

        var policies: [PairPolicy] = []
        var storeSafety: [PairKey: Double] = [:]
        for (i, cand) in storePairs.enumerated() {
            let item = items[cand.pair.item]!, dc = storeDC[cand.pair.location]!
            let lead = Double(max(0, dc.transit))
            var review = c.storeReviewPeriodDays
            let protection = demand.window(cand.p!, from: offset, days: Int(lead) + review)
            let target = c.fillRateTargets[classes[i]]!
            var policy = ReorderPolicy.make(protection: protection, dailyMean: cand.daily.mean, orderCost: c.storeOrderCost,
                                            holdingPerDay: holdingPerDay(item.unitCost), casePack: 1, minOrderQty: 0, target: target,
                                            lostSales: (Int(lead), review))
            // A slow mover whose order quantity alone over-serves its target at s = 0: review it at
            // the longest multiple of the review period at which (0, Q) still meets the target.
            if policy.fillRateModel == .lostSalesChain, policy.reorderPoint == 0, c.storeMaxReviewPeriodDays >= 2 * review {
                let base = review
                for r in stride(from: (c.storeMaxReviewPeriodDays / base) * base, to: base, by: -base) {
                    let window = demand.window(cand.p!, from: offset, days: Int(lead) + r)
                    if let stretched = ReorderPolicy.zeroReorderPoint(protection: window, orderQuantity: policy.orderQuantity, target: target,
                                                                      lead: Int(lead), review: r) {
                        policy = stretched
                        review = r
                        break
                    }
                }
            }
            storeSafety[PairKey(dc.dc, cand.pair.item), default: 0] += max(0, policy.safetyStock)
            policies.append(PairPolicy(pair: cand.pair, serviceClass: classes[i], target: target, supplierKey: nil, sourceLocationKey: dc.dc,
                                       leadTimeMean: lead, leadTimeSD: 0, leadTimeSource: "lane", reviewDays: review, casePack: 1, minOrderQty: 0,
                                       unitCost: item.unitCost, unitPrice: item.unitPrice, dailyMean: cand.daily.mean, policy: policy,
                                       position: position(cand.pair)))
        }
        // Items per supplier × DC, to share the supplier's order cost across the lines of one order.
        var linesPerOrder: [PairKey: Int] = [:]
        for k in dcKeys { if let s = items[k.item]!.supplierKey { linesPerOrder[PairKey(k.location, s), default: 0] += 1 } }
        for (j, k) in dcKeys.enumerated() {
            let item = items[k.item]!, e = dcEchelon[k]!
            guard let sk = item.supplierKey, let supplier = suppliers[sk] else {
                throw .invalidInput("item \(item.sku) has no supplier: DC \(locations[k.location]!.id) cannot order it")
            }
            let (lead, sd, source): (Double, Double, String) = {
                if let o = observed[sk], o.count >= c.minimumLeadTimeReceipts {
                    return (o.mean, o.sd, "observed on \(o.count) receipts")
                }
                return (supplier.leadTimeDays, supplier.leadTimeSDDays, "supplier master")
            }()
            let review = c.dcReviewPeriodDays
            let avgStoreLane = e.storeKeys.isEmpty ? 0 : e.storeKeys.map { Double(storeDC[$0.location]!.transit) }.reduce(0, +) / Double(e.storeKeys.count)
            let days = Int((lead + avgStoreLane).rounded(.up)) + review
            var protection = PairDemand.window(mean: e.mean[...], variance: e.variance[...], from: offset, days: days)
            let daily = planned[storePairs.count + j].daily
            protection.variance += daily.mean * daily.mean * sd * sd
            let target = c.fillRateTargets[classes[storePairs.count + j]]!
            let share = Double(linesPerOrder[PairKey(k.location, sk)] ?? 1)
            var policy = ReorderPolicy.make(protection: protection, dailyMean: daily.mean, orderCost: supplier.orderCost / share,
                                            holdingPerDay: holdingPerDay(item.unitCost), casePack: item.casePack, minOrderQty: item.minOrderQty,
                                            target: target)
            let carried = storeSafety[k] ?? 0
            policy.reorderPoint += carried; policy.orderUpTo += carried; policy.safetyStock += carried
            policies.append(PairPolicy(pair: k, serviceClass: classes[storePairs.count + j], target: target, supplierKey: sk, sourceLocationKey: nil,
                                       leadTimeMean: lead, leadTimeSD: sd, leadTimeSource: source, reviewDays: review, casePack: item.casePack,
                                       minOrderQty: item.minOrderQty, unitCost: item.unitCost, unitPrice: item.unitPrice, dailyMean: daily.mean,
                                       policy: policy, position: position(k) + e.storePositions))
        }

        var lines: [ReplenishmentRow] = []
        var notes: [String] = []
        let asOf = data.asOf
        func pct(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
        func num(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(format: "%.2f", x) }

        // Store lines, rationed by the DC's available stock.
        var storeOrders: [(policy: PairPolicy, qty: Double)] = []
        for p in policies where p.supplierKey == nil {
            guard p.reviewDays == c.storeReviewPeriodDays || Self.isReviewDay(asOf, pair: p.pair, every: p.reviewDays) else { continue }
            let q = p.policy.order(position: p.position, casePack: 1, minOrderQty: 0)
            if q > 0 { storeOrders.append((p, q)) }
        }
        var requested: [PairKey: Double] = [:]
        for o in storeOrders { requested[PairKey(o.policy.sourceLocationKey!, o.policy.pair.item), default: 0] += o.qty }
        for o in storeOrders {
            let dcKey = PairKey(o.policy.sourceLocationKey!, o.policy.pair.item)
            let dcAvailable = max(0, positions[dcKey]?.available ?? 0)
            let asked = requested[dcKey]!
            let qty = asked <= dcAvailable ? o.qty : (o.qty * dcAvailable / asked).rounded(.down)
            let dcId = locations[dcKey.location]!.id
            let p = o.policy
            var reason = "position \(num(p.position)) ≤ reorder point \(num(p.policy.reorderPoint)) (class \(p.serviceClass), fill-rate target \(pct(p.target))): order up to \(num(p.policy.orderUpTo)) from \(dcId), lane \(Int(p.leadTimeMean)) d, review \(p.reviewDays) d\(p.reviewDays > c.storeReviewPeriodDays ? " (stretched from \(c.storeReviewPeriodDays) d: at reorder point 0 the order quantity alone meets the target)" : ""); fill rate \(pct(p.policy.fillRate)) by the \(p.policy.fillRateModel.rawValue)"
            if qty < o.qty {
                reason += "; \(dcId) holds \(num(dcAvailable)) of the \(num(asked)) its stores asked for: rationed to \(num(qty)) of \(num(o.qty))"
            }
            guard qty > 0 else { continue }
            lines.append(ReplenishmentRow(locationKey: p.pair.location, itemKey: p.pair.item, supplierKey: nil, orderQty: qty, orderDay: asOf,
                                          expectedArrival: asOf.adding(Int(p.leadTimeMean.rounded(.up))), reorderPoint: p.policy.reorderPoint,
                                          orderUpTo: p.policy.orderUpTo, safetyStock: p.policy.safetyStock, serviceLevelTarget: p.target,
                                          projectedFillRate: p.policy.projectedFillRate(afterOrder: p.position + qty), reason: reason))
        }

        // Supplier lines per supplier × DC, consolidated to the minimum order value.
        var groups: [PairKey: [Int]] = [:]
        for (i, p) in policies.enumerated() where p.supplierKey != nil { groups[PairKey(p.pair.location, p.supplierKey!), default: []].append(i) }
        for g in groups.keys.sorted() {
            let members = groups[g]!
            let supplier = suppliers[g.item]!
            var qty: [Int: Double] = [:], why: [Int: String] = [:]
            for i in members {
                let p = policies[i]
                let q = p.policy.order(position: p.position, casePack: p.casePack, minOrderQty: p.minOrderQty)
                if q > 0 {
                    qty[i] = q
                    why[i] = "echelon position \(num(p.position)) ≤ reorder point \(num(p.policy.reorderPoint)) (class \(p.serviceClass), fill-rate target \(pct(p.target))): order up to \(num(p.policy.orderUpTo))"
                }
            }
            guard !qty.isEmpty else { continue }
            var value = qty.reduce(0) { $0 + $1.value * policies[$1.key].unitCost }
            if value < supplier.minOrderValue {
                // Pull forward the items closest to their reorder points.
                let waiting = members.filter { qty[$0] == nil && policies[$0].dailyMean > 0 }.sorted {
                    let a = policies[$0], b = policies[$1]
                    let da = (a.position - a.policy.reorderPoint) / a.dailyMean, db = (b.position - b.policy.reorderPoint) / b.dailyMean
                    return da != db ? da < db : a.pair < b.pair
                }
                for i in waiting where value < supplier.minOrderValue {
                    let p = policies[i]
                    let q = roundUp(max(p.policy.orderUpTo - p.position, p.minOrderQty, p.casePack), to: p.casePack)
                    qty[i] = q
                    value += q * p.unitCost
                    why[i] = "pulled forward (position \(num(p.position)), reorder point \(num(p.policy.reorderPoint)), class \(p.serviceClass)) to reach \(supplier.id)'s minimum order value \(num(supplier.minOrderValue))"
                }
                // Still short: raise the fastest movers by whole cases.
                let raise = qty.keys.sorted { policies[$0].dailyMean != policies[$1].dailyMean ? policies[$0].dailyMean > policies[$1].dailyMean : $0 < $1 }
                var k = 0
                while value < supplier.minOrderValue, !raise.isEmpty {
                    let i = raise[k % raise.count]
                    let p = policies[i]
                    guard p.unitCost > 0 else { k += 1; if k > 10 * raise.count { break }; continue }
                    qty[i]! += p.casePack
                    value += p.casePack * p.unitCost
                    if !(why[i]!.contains("raised")) { why[i]! += "; raised by whole cases to reach \(supplier.id)'s minimum order value \(num(supplier.minOrderValue))" }
                    k += 1
                }
            }
            for i in qty.keys.sorted(by: { policies[$0].pair < policies[$1].pair }) {
                let p = policies[i], q = qty[i]!
                let lead = "\(String(format: "%.1f", p.leadTimeMean)) ± \(String(format: "%.1f", p.leadTimeSD)) d (\(p.leadTimeSource))"
                lines.append(ReplenishmentRow(locationKey: p.pair.location, itemKey: p.pair.item, supplierKey: p.supplierKey, orderQty: q, orderDay: asOf,
                                              expectedArrival: asOf.adding(Int(p.leadTimeMean.rounded())), reorderPoint: p.policy.reorderPoint,
                                              orderUpTo: p.policy.orderUpTo, safetyStock: p.policy.safetyStock, serviceLevelTarget: p.target,
                                              projectedFillRate: p.policy.projectedFillRate(afterOrder: p.position + q),
                                              reason: why[i]! + "; case pack \(num(p.casePack)), MOQ \(num(p.minOrderQty)); lead time \(lead), review \(p.reviewDays) d; order value \(num((value * 100).rounded() / 100)) for \(supplier.id)"))
            }
        }
        let unassigned = data.locations.filter { $0.type == .store && storeDC[$0.key] == nil }
        if !unassigned.isEmpty { notes.append("stores with no DC lane and no demand: \(unassigned.map(\.id).joined(separator: ", "))") }
        return Plan(lines: lines, policies: policies, notes: notes)
    }

    /// A store pair stretched to a review every `days` days is reviewed on the days where
    /// (day + phase) is a multiple of `days`, the phase fixed by the pair (so that a store's
    /// stretched items spread over the week instead of all falling due together).
    public static func isReviewDay(_ day: Day, pair: PairKey, every days: Int) -> Bool {
        guard days > 1 else { return true }
        let phase = Int((UInt64(bitPattern: pair.location) &* 2_654_435_761 &+ UInt64(bitPattern: pair.item) &* 40_503) % UInt64(days))
        return (Int(day.rawValue) + phase) % days == 0
    }
}
