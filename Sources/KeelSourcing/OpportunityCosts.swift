import Foundation
import KeelCore
import KeelOptimization

/// The forecast-aware opportunity cost of node inventory (after Acimovic & Graves, 2015): the
/// dual prices of stock in a transportation LP that serves the *expected* online demand of the
/// next `horizonDays` from the stock on hand, so that a unit used today at a node that future
/// demand needs carries the extra cost that future demand will pay elsewhere.
///
/// The LP is the batch's own (`BatchProgram`, solved by Clp): expected demand per (zone, item)
/// becomes single-line demand orders of at most `total / maxDemandLines` (≥ 1) units each, in
/// standard service and without a promise; a demand line of q units costs q times a one-unit
/// shipment (q × (cost_per_shipment + cost_per_kg × weight + pick)); unmet demand costs its lost
/// margin `q × (unit_price − unit_cost)`; capacity is the node's daily capacity × the horizon.
/// The opportunity cost per unit at (item, node) is −(dual of the stock row + dual of the
/// node's capacity row) (`BatchProgram.adjustments`), 0 where stock is not scarce.
public struct OpportunityCosts: Sendable {
    public struct Demand: Sendable {
        public var zone: Int
        public var item: Int
        public var units: Double
        public init(zone: Int, item: Int, units: Double) { self.zone = zone; self.item = item; self.units = units }
    }

    /// Per unit, `values[item × nodeCount + node]`.
    public var values: [Double]
    /// The forecast run the expected demand came from (0 = given directly).
    public var forecastRunId: Int64
    public var horizonDays: Int
    public var expectedUnits: Double
    public var demandLines: Int
    public var lpObjective: Double
    public var seconds: Double

    public static func compute(
        network: SourcingNetwork, state: SourcingState, demand: [Demand], horizonDays: Int, maxDemandLines: Int = 20_000,
        forecastRunId: Int64 = 0
    ) throws -> OpportunityCosts {
        let started = ContinuousClock.now
        let total = demand.reduce(0) { $0 + max($1.units, 0) }
        let chunk = max(1, total / Double(max(maxDemandLines, 1)))
        var orders: [ResolvedOrder] = [], cands: [OrderCandidates] = [], unmet: [[Double]] = []
        for d in demand where d.units > 1e-12 {
            let lines = max(1, Int((d.units / chunk).rounded(.up)))
            let q = d.units / Double(lines)
            let margin = max(network.items[d.item].unitPrice - network.items[d.item].unitCost, 0)
            let order = ResolvedOrder(
                orderId: "expected", lineNumbers: [1], items: [d.item], qty: [q], zone: d.zone, service: .standard, promise: nil,
                pickupNode: nil)
            var cand = network.candidates(for: order)
            for c in cand.fixed.indices { cand.fixed[c] *= q }
            for _ in 0..<lines {
                orders.append(order); cands.append(cand); unmet.append([margin * q])
            }
        }
        var values = [Double](repeating: 0, count: network.items.count * network.nodeCount)
        var objective = 0.0
        if !orders.isEmpty {
            var horizon = state
            for n in horizon.capacityLeft.indices { horizon.capacityLeft[n] = network.nodes[n].capacity * Double(max(horizonDays, 1)) }
            let program = BatchProgram(orders: orders, candidates: cands, network: network, state: horizon, unsourcedCost: unmet)
            let lp = try ClpSolver().solve(program.linearProgram(integer: false)).requireOptimal()
            values = program.adjustments(from: lp, network: network).values
            objective = lp.objective
        }
        return OpportunityCosts(
            values: values, forecastRunId: forecastRunId, horizonDays: horizonDays, expectedUnits: total, demandLines: orders.count,
            lpObjective: objective, seconds: (ContinuousClock.now - started).seconds)
    }
}
