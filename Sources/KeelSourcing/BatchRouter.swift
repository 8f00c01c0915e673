import Foundation
import KeelOptimization

/// Sources many orders jointly under shared stock and capacity.
///
/// 1. Candidates per order (the cost model) and the *independent bound*: every order's exact
///    optimum as if it had the whole network to itself — a valid lower bound on the joint optimum.
/// 2. When the joint program is small enough (`lpMaxColumns`), its LP relaxation with Clp
///    (`BatchProgram`): a second lower bound, and dual prices of stock and capacity.
/// 3. When it has at most `cbcMaxBinaries` binaries, Cbc on the MIP (time-limited).
/// 4. Otherwise *rounding*: orders whose LP solution is already integral keep it; *repair*: the
///    rest are sourced one by one by the exact single-order optimiser against the stock left,
///    with the LP's dual prices added as opportunity costs (Acimovic & Graves style).
/// 5. *Improvement*: passes that re-source each order alone against everything else (true costs);
///    the objective never increases.
/// The result reports the penalised objective, its lower bound and the gap, and the plain cost
/// (shipping + handling) with late and unsourced line counts.
public struct BatchRouter {
    public struct Options: Sendable {
        public var lpMaxColumns = 600_000
        public var cbcMaxBinaries = 4_000
        public var cbcTimeLimit = 30.0
        public var improvementPasses = 2
        public var useLP = true
        public var useCbc = true
        /// After improvement: for orders with unsourced or late lines, try pairs (this order,
        /// one order holding the wanted item at a candidate node) re-sourced together.
        public var ejection = true
        public var ejectionHoldersPerNode = 8
        /// Batches up to this many orders try pair moves for every order, not only penalised ones.
        public var ejectionAllOrdersUpTo = 2_000
        public init() {}
    }

    public struct Result: Sendable {
        public var choices: [[Int]]
        public var candidates: [OrderCandidates]
        public var cost: Double
        public var objective: Double
        public var lowerBound: Double
        public var gap: Double
        public var lateLines: Int
        public var unsourcedLines: Int
        public var method: String
        public var seconds: [String: Double]
        public var inexactOrders: Int
    }

    public var options: Options
    public init(options: Options = .init()) { self.options = options }

    /// `signals`: per-unit signal adjustments (empty = every signal off; the objective is then
    /// exactly shipping + handling plus the lexicographic penalties). The opportunity cost of the
    /// signals (expected future demand) and the batch's own LP duals (today's orders) add up in
    /// repair.
    public func route(
        _ orders: [ResolvedOrder], network: SourcingNetwork, state initial: SourcingState,
        signals: UnitAdjustments = .init()
    ) throws -> Result {
        var seconds: [String: Double] = [:]
        var clock = ContinuousClock.now
        func lap(_ name: String) { seconds[name] = (ContinuousClock.now - clock).seconds; clock = ContinuousClock.now }
        let optimizer = OrderOptimizer()
        let cands = orders.map { network.candidates(for: $0, adjustments: signals) }
        var inexact = 0
        // Independent bound (each order alone with the whole network).
        var independent = 0.0
        var alone: [[Int]] = []
        alone.reserveCapacity(orders.count)
        for o in orders.indices {
            let r = optimizer.solve(orders[o], cands[o], state: initial)
            independent += r.exact ? r.best[0].objective : 0
            alone.append(r.best[0].choice)
        }
        independent += Self.scarcityBound(orders, cands, alone, state: initial)
        lap("independent_bound")

        var lowerBound = independent
        var method = "sequential"
        var choices: [[Int]?] = Array(repeating: nil, count: orders.count)
        var state = initial
        var duals: UnitAdjustments?

        // The joint program when small enough.
        let program = BatchProgram(orders: orders, candidates: cands, network: network, state: initial)
        if options.useLP, program.columnCount <= options.lpMaxColumns {
            let lp = try ClpSolver().solve(program.linearProgram(integer: false))
            lap("lp")
            if lp.status == .optimal {
                lowerBound = max(lowerBound, lp.objective)
                duals = program.adjustments(from: lp, network: network)
                if options.useCbc, program.binaryCount <= options.cbcMaxBinaries {
                    let cbc = CbcSolver()
                    cbc.timeLimit = options.cbcTimeLimit
                    let mip = try cbc.solve(program.linearProgram(integer: true))
                    lap("cbc")
                    if mip.status == .optimal || mip.status == .limitReached { lowerBound = max(lowerBound, mip.bestBound) }
                    if mip.hasSolution {
                        method = mip.status == .optimal ? "cbc-optimal" : "cbc-limit"
                        for (o, c) in program.decode(mip.x).enumerated() {
                            if let c, state.commitIfFits(orders[o], cands[o], c) { choices[o] = c }
                        }
                    }
                } else {
                    method = "lp-rounding"
                    for (o, c) in program.decode(lp.x, integralOnly: true).enumerated() {
                        guard let c else { continue }
                        if state.commitIfFits(orders[o], cands[o], c) { choices[o] = c }
                    }
                }
            }
        }
        // Repair: everything not yet sourced, one order at a time against the stock left.
        var repairCands = cands
        if let duals {
            let merged = signals.addingToTotals(duals.values)
            repairCands = orders.map { network.candidates(for: $0, adjustments: merged) }
        }
        // Most constrained first: orders with the fewest nodes able to hold their lines.
        let pending = orders.indices.filter { choices[$0] == nil }
        let flexibility = pending.map { o -> Int in
            let cand = cands[o], order = orders[o]
            return (0..<cand.count).reduce(0) { n, c in
                n + (0..<cand.lineCount).filter { state.available(item: order.items[$0], node: cand.nodes[c]) >= order.qty[$0] - 1e-9 }.count
            }
        }
        let repairOrder = pending.indices.sorted { (flexibility[$0], pending[$0]) < (flexibility[$1], pending[$1]) }.map { pending[$0] }
        for o in repairOrder {
            let r = optimizer.solve(orders[o], repairCands[o], state: state)
            if !r.exact { inexact += 1 }
            let c = r.best[0].choice
            guard state.commitIfFits(orders[o], cands[o], c) else {
                throw SourcingError.conflict("order \(orders[o].orderId): repair produced a plan that does not fit the stock left")
            }
            choices[o] = c
        }
        lap("repair")
        // Improvement.
        var final = choices.map { $0! }
        for _ in 0..<options.improvementPasses {
            var improved = 0
            for o in orders.indices {
                let old = final[o]
                let oldObjective = OrderOptimizer.objective(orders[o], cands[o], old)
                state.release(orders[o], cands[o], old)
                let r = optimizer.solve(orders[o], cands[o], state: state)
                let new = r.best[0]
                if new.objective < oldObjective - 1e-9, state.commitIfFits(orders[o], cands[o], new.choice) {
                    final[o] = new.choice
                    improved += 1
                } else {
                    state.commitIfFits(orders[o], cands[o], old)
                }
            }
            if improved == 0 { break }
        }
        lap("improve")
        if options.ejection {
            // Every order when the batch is small, else only those with unsourced or late lines.
            let everyOrder = orders.count <= options.ejectionAllOrdersUpTo
            for _ in 0..<(everyOrder ? 2 : 1) where ejectionPass(orders, cands, &final, &state, optimizer, everyOrder: everyOrder) > 0 {}
        }
        lap("ejection")
        var cost = 0.0, objective = 0.0, late = 0, unsourced = 0
        for o in orders.indices {
            let e = OrderOptimizer.evaluate(orders[o], cands[o], final[o])
            cost += e.cost; late += e.late; unsourced += e.unsourced
            objective += OrderOptimizer.objective(orders[o], cands[o], final[o])
        }
        let gap = max(objective - lowerBound, 0) / max(abs(objective), 1e-9)
        return Result(
            choices: final, candidates: cands, cost: cost, objective: objective, lowerBound: lowerBound, gap: gap,
            lateLines: late, unsourcedLines: unsourced, method: method, seconds: seconds, inexactOrders: inexact)
    }
}

extension BatchRouter {
    /// What scarce stock adds to the independent bound. For item i, let E_i = units wanted by
    /// lines that are sourced when their order is alone, minus all units of i in the network; at
    /// least U_i of those lines (the fewest whose quantities cover E_i, largest first) go
    /// unsourced jointly. Putting such a line back into its order's joint plan costs at most
    /// C_max (the dearest fixed + per-unit + late penalty of any line at any candidate), so each
    /// raises its order above its alone optimum by at least `unsourcedPenalty − C_max`.
    static func scarcityBound(_ orders: [ResolvedOrder], _ cands: [OrderCandidates], _ alone: [[Int]], state: SourcingState) -> Double {
        var wanted: [Int: [Double]] = [:]
        var cMax = 0.0
        for o in orders.indices {
            let cand = cands[o], L = cand.lineCount
            for l in 0..<L where alone[o][l] >= 0 {
                wanted[orders[o].items[l], default: []].append(orders[o].qty[l])
                for c in 0..<cand.count {
                    let k = c * L + l
                    cMax = max(
                        cMax,
                        cand.fixed[c] + (cand.unitShip[k] + cand.unitHandling[k] + cand.unitAdjust[k]) * orders[o].qty[l]
                            + (cand.late[c] ? OrderOptimizer.latePenalty : 0))
                }
            }
        }
        let perLine = OrderOptimizer.unsourcedPenalty - cMax
        guard perLine > 0 else { return 0 }
        var lines = 0
        for (item, quantities) in wanted {
            var stock = 0.0
            for n in 0..<state.nodeCount { stock += state.available(item: item, node: n) }
            var excess = quantities.reduce(0, +) - stock
            guard excess > 1e-9 else { continue }
            for q in quantities.sorted(by: >) {
                guard excess > 1e-9 else { break }
                excess -= q
                lines += 1
            }
        }
        return Double(lines) * perLine
    }

    /// Two-order moves for penalised orders: release the order and one holder of an item it
    /// misses (or gets late) at a node that could serve it, source the order first, then the
    /// holder; keep the pair's new plans when their objective falls, else restore both.
    @discardableResult
    func ejectionPass(
        _ orders: [ResolvedOrder], _ cands: [OrderCandidates], _ final: inout [[Int]], _ state: inout SourcingState,
        _ optimizer: OrderOptimizer, everyOrder: Bool
    ) -> Int {
        var moves = 0
        // Holders index: (item × nodeCount + node) → orders with a line there.
        let N = state.nodeCount
        var holders: [Int: [Int]] = [:]
        for o in orders.indices {
            for (l, c) in final[o].enumerated() where c >= 0 { holders[orders[o].items[l] * N + cands[o].nodes[c], default: []].append(o) }
        }
        for o in orders.indices {
            let cand = cands[o]
            let wanted = (0..<cand.lineCount).filter { everyOrder || final[o][$0] < 0 || cand.late[final[o][$0]] }
            guard !wanted.isEmpty else { continue }
            var done = false
            for l in wanted where !done {
                for c in 0..<cand.count where !done && !cand.late[c] && c != final[o][l] {
                    let key = orders[o].items[l] * N + cand.nodes[c]
                    // Only nodes where the units are taken (otherwise a single-order move would do).
                    guard state.available(item: orders[o].items[l], node: cand.nodes[c]) < orders[o].qty[l] - 1e-9 else { continue }
                    for p in (holders[key] ?? []).prefix(options.ejectionHoldersPerNode) where p != o {
                        let oldO = final[o], oldP = final[p]
                        let before = OrderOptimizer.objective(orders[o], cand, oldO) + OrderOptimizer.objective(orders[p], cands[p], oldP)
                        state.release(orders[o], cand, oldO)
                        state.release(orders[p], cands[p], oldP)
                        let newO = optimizer.solve(orders[o], cand, state: state).best[0].choice
                        state.commitIfFits(orders[o], cand, newO)
                        let newP = optimizer.solve(orders[p], cands[p], state: state).best[0].choice
                        state.commitIfFits(orders[p], cands[p], newP)
                        let after = OrderOptimizer.objective(orders[o], cand, newO) + OrderOptimizer.objective(orders[p], cands[p], newP)
                        if after < before - 1e-9 {
                            final[o] = newO; final[p] = newP
                            for (q, choice) in [(o, newO), (p, newP)] {
                                for (m, c2) in choice.enumerated() where c2 >= 0 {
                                    holders[orders[q].items[m] * N + cands[q].nodes[c2], default: []].append(q)
                                }
                            }
                            done = true
                            moves += 1
                            break
                        }
                        state.release(orders[p], cands[p], newP)
                        state.release(orders[o], cand, newO)
                        state.commitIfFits(orders[o], cand, oldO)
                        state.commitIfFits(orders[p], cands[p], oldP)
                    }
                }
            }
        }
        return moves
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

extension BatchRouter {
    /// The full joint MIP (every candidate, see `BatchProgram`) handed to Cbc — the reference
    /// optimum the benchmark compares the batch heuristic with. Returns the penalised objective,
    /// plain cost, late and unsourced lines of Cbc's best solution, its proven bound and status.
    public static func solveMIP(_ orders: [ResolvedOrder], network: SourcingNetwork, state: SourcingState, timeLimit: Double?)
        throws -> (objective: Double, cost: Double, late: Int, unsourced: Int, bound: Double, proven: Bool, binaries: Int)
    {
        let cands = orders.map { network.candidates(for: $0) }
        let program = BatchProgram(orders: orders, candidates: cands, network: network, state: state)
        let cbc = CbcSolver()
        cbc.timeLimit = timeLimit
        let mip = try cbc.solve(program.linearProgram(integer: true))
        guard mip.hasSolution else { throw SourcingError.conflict("Cbc found no solution (status \(mip.status))") }
        var cost = 0.0, late = 0, unsourced = 0
        for (o, c) in program.decode(mip.x).enumerated() {
            guard let c else { continue }
            let e = OrderOptimizer.evaluate(orders[o], cands[o], c)
            cost += e.cost; late += e.late; unsourced += e.unsourced
        }
        return (mip.objective, cost, late, unsourced, mip.bestBound, mip.status == .optimal, program.binaryCount)
    }
}
