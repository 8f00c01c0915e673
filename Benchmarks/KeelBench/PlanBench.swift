import Foundation
import KeelCore
import KeelPlanning
import KeelStore

// keel-bench plan-network: replenishment and transfers over an M5-sized network held in memory
//   (10 stores × 3,049 items = 30,490 store pairs, plus the 2 DCs' echelons); target ≤ 30 s.
// keel-bench transfer-lp: the transfer planner on 250 items × 20 sources × 20 sinks = 100,000
//   candidate arcs among 40 stores with lanes between all of them; target ≤ 10 s.

/// Demand of a pair: about half the pairs intermittent (mean 0.05–0.6 a day), the rest 0.6–8.
func syntheticDemand(_ rng: inout SeededRandom, horizon: Int) -> (mean: [Double], variance: [Double]) {
    let base = rng.uniform(0, 1) < 0.5 ? rng.uniform(0.05, 0.6) : rng.uniform(0.6, 8)
    let dispersion = rng.uniform(1, 3)
    var m = [Double](repeating: 0, count: horizon), v = m
    for t in 0..<horizon {
        m[t] = base * (1 + 0.3 * sin(Double(t) * 2 * .pi / 7))
        v[t] = m[t] * dispersion
    }
    return (m, v)
}

func planNetwork() throws {
    let stores = Int(argument("--stores", "10"))!, itemCount = Int(argument("--items", "3049"))!
    var rng = SeededRandom(seed: 11)
    let asOf = Day("2026-01-31")!
    let suppliers = (0..<10).map { s in
        PlanningData.Supplier(key: Int64(s + 1), id: "SUP\(s)", leadTimeDays: Double(rng.int(20) + 5), leadTimeSDDays: rng.uniform(0.5, 4),
                              orderCost: rng.uniform(50, 400), minOrderValue: rng.uniform(500, 5000))
    }
    let items = (0..<itemCount).map { i in
        PlanningData.Item(key: Int64(i + 1), sku: "SKU\(i)", category: "C\(i % 7)", department: "D\(i % 3)", unitCost: rng.uniform(1, 40),
                          unitPrice: rng.uniform(45, 90), casePack: [1, 6, 12, 24][rng.int(4)], minOrderQty: 0,
                          supplierKey: Int64(rng.int(10) + 1), shelfLifeDays: nil)
    }
    var locations = [PlanningData.Location(key: 1, id: "DC1", type: .dc, region: nil), PlanningData.Location(key: 2, id: "DC2", type: .dc, region: nil)]
    var lanes: [PlanningData.Lane] = []
    for s in 0..<stores {
        let key = Int64(s + 3)
        locations.append(.init(key: key, id: "S\(s)", type: .store, region: nil))
        lanes.append(.init(from: 1 + Int64(s % 2), to: key, costPerUnit: 0.3, costPerShipment: 60, transitDays: 1 + rng.int(3)))
        for t in 0..<stores where t != s && rng.uniform(0, 1) < 0.3 {
            lanes.append(.init(from: key, to: Int64(t + 3), costPerUnit: rng.uniform(0.2, 1.5), costPerShipment: rng.uniform(5, 40), transitDays: 1 + rng.int(2)))
        }
    }
    var demand = PairDemand(asOf: asOf, horizon: 28)
    var positions: [PlanningData.Position] = []
    for i in items {
        for s in 0..<stores {
            let d = syntheticDemand(&rng, horizon: 28)
            demand.add(PairKey(Int64(s + 3), i.key), mean: d.mean, variance: d.variance)
            positions.append(.init(locationKey: Int64(s + 3), itemKey: i.key, onHand: (rng.uniform(0, 30) * d.mean[0]).rounded(), reserved: 0, damaged: 0, inbound: []))
        }
        for dc in 1...2 {
            positions.append(.init(locationKey: Int64(dc), itemKey: i.key, onHand: rng.uniform(0, 400).rounded(), reserved: 0, damaged: 0,
                                   inbound: [(rng.uniform(0, 200).rounded(), asOf.adding(5))]))
        }
    }
    let data = PlanningData(asOf: asOf, items: items, suppliers: suppliers, locations: locations, lanes: lanes, positions: positions,
                            leadTimes: [], supplyingDC: [:])
    print("plan-network: \(stores) stores × \(itemCount) items = \(stores * itemCount) store pairs, \(lanes.count) lanes")
    let t0 = ContinuousClock.now
    let plan = try ReplenishmentPlanner(data: data, demand: demand, configuration: .defaults).plan()
    let t1 = ContinuousClock.now
    var ordered: [PairKey: Double] = [:]
    for l in plan.lines { ordered[PairKey(l.locationKey, l.itemKey), default: 0] += l.orderQty }
    let transfers = try TransferPlanner(data: data, demand: demand, policies: plan.policies, configuration: .defaults, replenishment: ordered).plan()
    let t2 = ContinuousClock.now
    let rep = (t1 - t0).seconds, tr = (t2 - t1).seconds
    print(String(format: "  replenishment: %d policies, %d lines in %.2f s", plan.policies.count, plan.lines.count, rep))
    print(String(format: "  transfers: %d arcs in %d LPs → %d moves in %.2f s", transfers.arcs, transfers.programs, transfers.rows.count, tr))
    print(String(format: "  total %.2f s (target ≤ 30 s after the forecast)", rep + tr))
}

func transferLP() throws {
    let stores = 40, itemCount = Int(argument("--items", "250"))!, side = 20
    var rng = SeededRandom(seed: 12)
    let asOf = Day("2026-01-31")!
    let locations = (0..<stores).map { PlanningData.Location(key: Int64($0 + 1), id: "S\($0)", type: .store, region: nil) }
    var lanes: [PlanningData.Lane] = []
    for a in 0..<stores { for b in 0..<stores where a != b {
        lanes.append(.init(from: Int64(a + 1), to: Int64(b + 1), costPerUnit: rng.uniform(0.2, 1.5), costPerShipment: 0, transitDays: 1 + rng.int(3)))
    } }
    let items = (0..<itemCount).map { i in
        PlanningData.Item(key: Int64(i + 1), sku: "SKU\(i)", category: "C", department: "D", unitCost: rng.uniform(2, 20), unitPrice: rng.uniform(25, 60),
                          casePack: 1, minOrderQty: 0, supplierKey: nil, shelfLifeDays: nil)
    }
    var demand = PairDemand(asOf: asOf, horizon: 28)
    var positions: [PlanningData.Position] = []
    var policies: [PairPolicy] = []
    for i in items {
        // Stores 0..<20 are overstocked (slow sellers holding a lot), 20..<40 short (fast sellers holding little).
        for s in 0..<stores {
            let source = s < side
            let mean = source ? rng.uniform(0.02, 0.3) : rng.uniform(1, 4)
            let d = [Double](repeating: mean, count: 28)
            demand.add(PairKey(Int64(s + 1), i.key), mean: d, variance: d.map { $0 * 1.5 })
            let onHand = source ? rng.uniform(30, 80).rounded() : rng.uniform(0, 3).rounded()
            positions.append(.init(locationKey: Int64(s + 1), itemKey: i.key, onHand: onHand, reserved: 0, damaged: 0, inbound: []))
            let s0 = (mean * 4).rounded(.up), S0 = s0 + (mean * 14).rounded(.up) + 1
            policies.append(PairPolicy(pair: PairKey(Int64(s + 1), i.key), serviceClass: "BY", target: 0.95, supplierKey: nil, sourceLocationKey: nil,
                                       leadTimeMean: 2, leadTimeSD: 0, leadTimeSource: "lane", reviewDays: 2, casePack: 1, minOrderQty: 0,
                                       unitCost: i.unitCost, unitPrice: i.unitPrice, dailyMean: mean,
                                       policy: ReorderPolicy(reorderPoint: s0, orderUpTo: S0, safetyStock: 0, orderQuantity: S0 - s0,
                                                             protectionMean: mean * 4, protectionVariance: mean * 6, fillRate: 0.95),
                                       position: onHand))
        }
    }
    let data = PlanningData(asOf: asOf, items: items, suppliers: [], locations: locations, lanes: lanes, positions: positions, leadTimes: [], supplyingDC: [:])
    let t0 = ContinuousClock.now
    let result = try TransferPlanner(data: data, demand: demand, policies: policies, configuration: .defaults, replenishment: [:]).plan()
    let seconds = (ContinuousClock.now - t0).seconds
    print(String(format: "transfer-lp: %d candidate arcs in %d LPs (one per item) → %d moves, %.0f units, benefit %.0f, in %.2f s (target ≤ 10 s)",
                 result.arcs, result.programs, result.rows.count, result.rows.reduce(0) { $0 + $1.qty }, result.rows.reduce(0) { $0 + $1.expectedBenefit }, seconds))
}

extension SeededRandom {
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
