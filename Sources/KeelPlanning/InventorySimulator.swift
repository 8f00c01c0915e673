import KeelCore

/// Replays days of real demand through periodic-review (s, S) policies, lost sales, orders
/// arriving after a sampled lead time (normal with the policy's mean and sd, rounded, at least one
/// day; seeded per pair). Every policy starts mid-cycle — its reorder point plus half its order
/// quantity on hand, nothing inbound — so that neither rule is flattered by a full start.
public enum InventorySimulator {
    /// One simulated (location, item): its demand over the days, the rule, and its economics.
    /// The rule may change day by day (`reorderPoints[t]`, `orderUpTos[t]`, re-planned each night);
    /// when those are empty the fixed `reorderPoint` and `orderUpTo` apply.
    public struct Subject: Sendable {
        public var label: String
        public var demand: ArraySlice<Double>
        public var reorderPoint: Double
        public var orderUpTo: Double
        public var reorderPoints: [Double] = []
        public var orderUpTos: [Double] = []
        public var reviewDays: Int
        public var reviewOffset: Int
        public var leadTimeMean: Double
        public var leadTimeSD: Double
        public var casePack: Double
        public var minOrderQty: Double
        public var unitCost: Double
        public var seed: UInt64
        public init(label: String, demand: ArraySlice<Double>, reorderPoint: Double, orderUpTo: Double, reviewDays: Int, reviewOffset: Int,
                    leadTimeMean: Double, leadTimeSD: Double, casePack: Double, minOrderQty: Double, unitCost: Double, seed: UInt64) {
            self.label = label; self.demand = demand; self.reorderPoint = reorderPoint; self.orderUpTo = orderUpTo; self.reviewDays = reviewDays
            self.reviewOffset = reviewOffset; self.leadTimeMean = leadTimeMean; self.leadTimeSD = leadTimeSD; self.casePack = casePack
            self.minOrderQty = minOrderQty; self.unitCost = unitCost; self.seed = seed
        }
    }

    /// Totals over subjects: demand, served and lost units, lost value at cost, inventory value-days,
    /// orders, and cost of goods served.
    public struct Totals: Sendable, Codable, Equatable {
        public var demand = 0.0
        public var served = 0.0
        public var lostUnits = 0.0
        public var inventoryValueDays = 0.0
        public var costOfGoodsServed = 0.0
        public var orders = 0
        public var subjects = 0
        public var days = 0

        public init() {}
        public var fillRate: Double { demand > 0 ? served / demand : 1 }
        public var averageInventoryValue: Double { days > 0 ? inventoryValueDays / Double(days) : 0 }
        /// Annualised cost of goods served over average inventory value.
        public var turns: Double { averageInventoryValue > 0 ? costOfGoodsServed * 365 / Double(max(days, 1)) / averageInventoryValue : 0 }
        public func holdingCost(ratePerYear: Double) -> Double { averageInventoryValue * ratePerYear * Double(days) / 365 }

        mutating func add(_ o: Totals) {
            demand += o.demand; served += o.served; lostUnits += o.lostUnits; inventoryValueDays += o.inventoryValueDays
            costOfGoodsServed += o.costOfGoodsServed; orders += o.orders; subjects += o.subjects; days = max(days, o.days)
        }
    }

    /// Simulates one subject.
    public static func run(_ s: Subject) -> Totals {
        var rng = SeededRandom(seed: s.seed)
        let s0 = s.reorderPoints.first ?? s.reorderPoint, S0 = s.orderUpTos.first ?? s.orderUpTo
        var onHand = (s0 + (S0 - s0) / 2).rounded(.up)
        var pipeline: [(arrival: Int, qty: Double)] = []
        var t = Totals()
        t.subjects = 1
        t.days = s.demand.count
        for (day, d) in s.demand.enumerated() {
            if !pipeline.isEmpty {
                var k = 0
                while k < pipeline.count {
                    if pipeline[k].arrival <= day { onHand += pipeline[k].qty; pipeline.remove(at: k) } else { k += 1 }
                }
            }
            let served = min(onHand, max(0, d))
            onHand -= served
            t.demand += max(0, d); t.served += served; t.lostUnits += max(0, d) - served
            t.costOfGoodsServed += served * s.unitCost
            if (day + s.reviewOffset) % s.reviewDays == 0 {
                let position = onHand + pipeline.reduce(0) { $0 + $1.qty }
                let reorderPoint = day < s.reorderPoints.count ? s.reorderPoints[day] : s.reorderPoint
                let orderUpTo = day < s.orderUpTos.count ? s.orderUpTos[day] : s.orderUpTo
                if position <= reorderPoint {
                    let q = roundUp(max(orderUpTo - position, s.minOrderQty, 1), to: s.casePack)
                    let lead = max(1, Int((s.leadTimeMean + s.leadTimeSD * rng.normal()).rounded()))
                    pipeline.append((day + lead, q))
                    t.orders += 1
                }
            }
            t.inventoryValueDays += onHand * s.unitCost
        }
        return t
    }

    /// Totals per label and overall.
    public static func run(_ subjects: [Subject]) -> (byLabel: [String: Totals], overall: Totals) {
        var by: [String: Totals] = [:], all = Totals()
        for s in subjects {
            let t = run(s)
            by[s.label, default: Totals()].add(t)
            all.add(t)
        }
        return (by, all)
    }
}

/// The min/max reorder rule of ERPs (Odoo's reordering rules, ERPNext's reorder levels):
/// min = mean daily demand × lead time + buffer, max = min + EOQ, with the buffer in days of mean
/// demand, one number for all items, tuned by bisection until the rule's overall fill rate equals
/// a target (Keel's simulated fill rate), so inventory is compared at equal service.
public enum MinMaxBaseline {
    public struct Item: Sendable {
        public var subject: InventorySimulator.Subject
        public var dailyMean: Double
        public var eoq: Double
        public init(subject: InventorySimulator.Subject, dailyMean: Double, eoq: Double) {
            self.subject = subject; self.dailyMean = dailyMean; self.eoq = eoq
        }
    }

    public static func subjects(_ items: [Item], bufferDays: Double) -> [InventorySimulator.Subject] {
        items.map { i in
            var s = i.subject
            let minimum = max(0, (i.dailyMean * (i.subject.leadTimeMean + bufferDays)).rounded(.up))
            s.reorderPoint = minimum
            s.orderUpTo = minimum + max(1, i.eoq.rounded(.up))
            return s
        }
    }

    /// The smallest buffer (days, to 0.01, between −`maxBufferDays` and `maxBufferDays`; a negative
    /// buffer orders later than the mean lead-time demand) whose fill rate reaches `fillRate`.
    public static func tuned(_ items: [Item], fillRate target: Double, maxBufferDays: Double = 365)
        -> (bufferDays: Double, byLabel: [String: InventorySimulator.Totals], overall: InventorySimulator.Totals)
    {
        var lo = -maxBufferDays, hi = maxBufferDays
        var best = InventorySimulator.run(subjects(items, bufferDays: hi))
        if InventorySimulator.run(subjects(items, bufferDays: lo)).overall.fillRate >= target {
            let r = InventorySimulator.run(subjects(items, bufferDays: lo))
            return (lo, r.byLabel, r.overall)
        }
        while hi - lo > 0.01 {
            let mid = (lo + hi) / 2
            let r = InventorySimulator.run(subjects(items, bufferDays: mid))
            if r.overall.fillRate >= target { hi = mid; best = r } else { lo = mid }
        }
        return (hi, best.byLabel, best.overall)
    }
}
