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

    public func route(_ orders: [ResolvedOrder], network: SourcingNetwork, state initial: SourcingState) throws -> Result {
        var seconds: [String: Double] = [:]
        var clock = ContinuousClock.now
        func lap(_ name: String) { seconds[name] = (ContinuousClock.now - clock).seconds; clock = ContinuousClock.now }
        let optimizer = OrderOptimizer()
        let cands = orders.map { network.candidates(for: $0) }
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
        if let duals { repairCands = orders.map { network.candidates(for: $0, adjustments: duals) } }
        for o in orders.indices where choices[o] == nil {
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
        var cost = 0.0, objective = 0.0, late = 0, unsourced = 0
        for o in orders.indices {
            let e = OrderOptimizer.evaluate(orders[o], cands[o], final[o])
            cost += e.cost; late += e.late; unsourced += e.unsourced
            objective += OrderOptimizer.objective(orders[o], cands[o], final[o])
        }
        let gap = max(objective - lowerBound, 0) / max(abs(objective), 1e-9)
        return Result(choices: final, candidates: cands, cost: cost, objective: objective, lowerBound: lowerBound, gap: gap,
                      lateLines: late, unsourcedLines: unsourced, method: method, seconds: seconds, inexactOrders: inexact)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
