import KeelCore
import KeelOptimization
import KeelPolicy
import KeelStore

/// Lateral transfers between stores, one transportation LP per item solved with Clp.
///
/// A store above its order-up-to level is a source: it may give units down to its reorder point
/// (its own protected need), from stock on hand. A store below its order-up-to level (after today's
/// replenishment) is a sink. A unit is worth, where it sits, its margin times the chance it sells
/// within the sell-through window (the configured days, capped by shelf life) less the markdown
/// it takes when it does not: v(p) = margin·p − markdown·price·(1 − p), with p = P(D_window ≥ k)
/// for the k-th unit. Moving a unit gains v at the sink, loses v at the source and pays the lane's
/// cost per unit; the k-th unit of a source is the least likely to sell there, the k-th of a sink
/// the least needed, so the marginal values enter as tranches of a concave piecewise-linear
/// objective and the LP is exact for it. Flows are rounded down to whole units, arcs below the
/// minimum transfer quantity dropped, and a lane whose moves do not pay its cost per shipment
/// removed and the LP solved again.
public struct TransferPlanner: Sendable {
    public let data: PlanningData
    public let demand: PairDemand
    public let policies: [PairPolicy]
    public let configuration: PlanningConfiguration
    /// Units already ordered today per (location, item), counted in the sinks' positions.
    public let replenishment: [PairKey: Double]

    public init(data: PlanningData, demand: PairDemand, policies: [PairPolicy], configuration: PlanningConfiguration, replenishment: [PairKey: Double]) {
        self.data = data; self.demand = demand; self.policies = policies; self.configuration = configuration; self.replenishment = replenishment
    }

    public struct Result: Sendable {
        public var rows: [TransferRow]
        public var arcs: Int
        public var programs: Int
    }

    static let tranches = 6

    public func plan() throws(PlanningError) -> Result {
        let c = configuration
        let items = Dictionary(uniqueKeysWithValues: data.items.map { ($0.key, $0) })
        let locations = Dictionary(uniqueKeysWithValues: data.locations.map { ($0.key, $0) })
        var available: [PairKey: Double] = [:]
        for p in data.positions { available[PairKey(p.locationKey, p.itemKey)] = max(0, p.available) }
        var lanesFrom: [Int64: [PlanningData.Lane]] = [:]
        for lane in data.lanes {
            guard let a = locations[lane.from], let b = locations[lane.to] else {
                throw .invalidInput("transfer lane \(lane.from) → \(lane.to) names an unknown location")
            }
            if a.type == .store && b.type == .store { lanesFrom[lane.from, default: []].append(lane) }
        }
        var byItem: [Int64: [PairPolicy]] = [:]
        for p in policies where p.supplierKey == nil && locations[p.pair.location]?.type == .store { byItem[p.pair.item, default: []].append(p) }

        var rows: [TransferRow] = []
        var arcCount = 0, programs = 0
        let solver = ClpSolver()
        for itemKey in byItem.keys.sorted() {
            let item = items[itemKey]!
            let window = min(c.sellThroughDays, item.shelfLifeDays ?? c.sellThroughDays)
            let margin = item.unitPrice - item.unitCost, markdown = c.markdownRate * item.unitPrice
            struct Node { var pair: PairKey; var y: Double; var movable: Double; var dist: DemandDistribution }
            var sources: [Node] = [], sinks: [Node] = []
            for p in byItem[itemKey]!.sorted(by: { $0.pair < $1.pair }) {
                guard let d = demand.position(of: p.pair) else { continue }
                let y = p.position + (replenishment[p.pair] ?? 0)
                let w = demand.window(d, days: window)
                let dist = DemandDistribution.planning(mean: w.mean, variance: w.variance)
                if y > p.policy.orderUpTo {
                    let movable = min(available[p.pair] ?? 0, y - p.policy.reorderPoint).rounded(.down)
                    if movable >= max(1, c.minimumTransferQty), lanesFrom[p.pair.location] != nil { sources.append(Node(pair: p.pair, y: y, movable: movable, dist: dist)) }
                } else if y < p.policy.orderUpTo {
                    sinks.append(Node(pair: p.pair, y: y, movable: (p.policy.orderUpTo - y).rounded(.up), dist: dist))
                }
            }
            guard !sources.isEmpty, !sinks.isEmpty else { continue }
            let sinkIndex = Dictionary(uniqueKeysWithValues: sinks.enumerated().map { ($1.pair.location, $0) })
            var arcs: [(s: Int, t: Int, lane: PlanningData.Lane)] = []
            for (si, s) in sources.enumerated() {
                for lane in lanesFrom[s.pair.location]! { if let ti = sinkIndex[lane.to] { arcs.append((si, ti, lane)) } }
            }
            guard !arcs.isEmpty else { continue }
            // Value of the k-th unit of a tranche: the average of v over the tranche's units.
            func value(_ dist: DemandDistribution, fromUnit a: Double, count n: Double) -> Double {
                var sum = 0.0
                var k = a
                while k < a + n { let p = 1 - dist.cdf(k); sum += margin * p - markdown * (1 - p); k += 1 }
                return sum / n
            }
            var dropped = Set<Int>()   // arc indices removed for not paying their shipment
            for _ in 0..<3 {
                let live = arcs.indices.filter { !dropped.contains($0) }
                guard !live.isEmpty else { break }
                // Columns: arcs, then source tranches, then sink tranches.
                var cost: [Double] = [], upper: [Double] = [], entries: [SparseMatrix.Entry] = []
                for a in live {
                    let col = cost.count
                    cost.append(arcs[a].lane.costPerUnit); upper.append(.infinity)
                    entries.append(.init(row: arcs[a].s, column: col, value: 1))
                    entries.append(.init(row: sources.count + arcs[a].t, column: col, value: 1))
                }
                var trancheInfo: [(isSource: Bool, node: Int, value: Double)] = []
                for (si, s) in sources.enumerated() {
                    let size = (s.movable / Double(Self.tranches)).rounded(.up)
                    var start = 0.0
                    while start < s.movable {
                        let n = min(size, s.movable - start)
                        // Removing units from the top: the first removed is unit y − 1 (0-based), the least likely to sell.
                        let v = value(s.dist, fromUnit: s.y - start - n, count: n)
                        let col = cost.count
                        cost.append(v); upper.append(n)
                        entries.append(.init(row: si, column: col, value: -1))
                        trancheInfo.append((true, si, v))
                        start += n
                    }
                }
                for (ti, t) in sinks.enumerated() {
                    let size = (t.movable / Double(Self.tranches)).rounded(.up)
                    var start = 0.0
                    while start < t.movable {
                        let n = min(size, t.movable - start)
                        let v = value(t.dist, fromUnit: t.y + start, count: n)
                        let col = cost.count
                        cost.append(-v); upper.append(n)
                        entries.append(.init(row: sources.count + ti, column: col, value: -1))
                        trancheInfo.append((false, ti, v))
                        start += n
                    }
                }
                let rowsCount = sources.count + sinks.count
                let program: LinearProgram
                let solution: LinearProgramSolution
                do {
                    program = LinearProgram(objective: cost, constraints: try SparseMatrix(rows: rowsCount, columns: cost.count, entries: entries),
                                            rowLower: Array(repeating: 0, count: rowsCount), rowUpper: Array(repeating: 0, count: rowsCount),
                                            columnUpper: upper)
                    solution = try solver.solve(program).requireOptimal()
                } catch {
                    throw .invalidInput("transfer LP for \(item.sku) failed: \(error)")
                }
                programs += 1
                arcCount += live.count
                // Average marginal value used at each source and sink.
                var used = [Double](repeating: 0, count: rowsCount), worth = [Double](repeating: 0, count: rowsCount)
                for (k, info) in trancheInfo.enumerated() {
                    let x = solution.x[live.count + k]
                    guard x > 1e-9 else { continue }
                    let r = info.isSource ? info.node : sources.count + info.node
                    used[r] += x; worth[r] += x * info.value
                }
                var perLane: [PairKey: (benefit: Double, arcs: [Int])] = [:]
                var proposed: [(a: Int, qty: Double, benefit: Double)] = []
                for (col, a) in live.enumerated() {
                    let qty = solution.x[col].rounded(.down)
                    guard qty >= max(1, c.minimumTransferQty) else { continue }
                    let s = arcs[a].s, t = sources.count + arcs[a].t
                    let gain = used[t] > 0 ? worth[t] / used[t] : 0, loss = used[s] > 0 ? worth[s] / used[s] : 0
                    let benefit = qty * (gain - loss - arcs[a].lane.costPerUnit)
                    guard benefit > 0 else { continue }
                    proposed.append((a, qty, benefit))
                    let laneKey = PairKey(arcs[a].lane.from, arcs[a].lane.to)
                    perLane[laneKey, default: (0, [])].benefit += benefit
                    perLane[laneKey, default: (0, [])].arcs.append(a)
                }
                let unpaid = perLane.filter { $0.value.benefit < arcs[$0.value.arcs[0]].lane.costPerShipment }
                if unpaid.isEmpty {
                    for p in proposed {
                        let arc = arcs[p.a], src = sources[arc.s], dst = sinks[arc.t]
                        let share = p.benefit - arc.lane.costPerShipment * p.benefit / perLane[PairKey(arc.lane.from, arc.lane.to)]!.benefit
                        rows.append(TransferRow(
                            fromLocationKey: src.pair.location, toLocationKey: dst.pair.location, itemKey: itemKey, qty: p.qty,
                            shipDay: data.asOf, expectedArrival: data.asOf.adding(arc.lane.transitDays),
                            reason: "\(locations[src.pair.location]!.id) holds \(Int(src.y)) against an expected \(String(format: "%.1f", src.dist.mean)) sales in \(window) d; \(locations[dst.pair.location]!.id) is at \(Int(dst.y)) below its order-up-to \(Int(dst.y + dst.movable)); lane \(arc.lane.transitDays) d at \(String(format: "%.2f", arc.lane.costPerUnit))/unit",
                            expectedBenefit: (share * 100).rounded() / 100))
                    }
                    break
                }
                for (_, v) in unpaid { dropped.formUnion(v.arcs) }
            }
        }
        return Result(rows: rows, arcs: arcCount, programs: programs)
    }
}
