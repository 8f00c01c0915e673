import Foundation
import KeelCore
import KeelStore

/// The switchable signals on top of shipping + handling, as per-unit adjustments by (item, node)
/// (and, for returns, by the order's channel). With every signal off the adjustments are empty
/// and the objective is exactly shipping + handling.
///
/// - **Store protection**: a store's walk-in need over the next days (from the latest forecast
///   run) is Poisson with mean λ; taking a unit when `s` units are available costs its expected
///   lost margin `(unit_price − unit_cost) × P(D ≥ s)`.
/// - **Aging / markdown credit** (`MarkdownExposure`): `−loss × P(D ≤ s − 1)` per unit.
/// - **Expected return cost** (`ReturnCostModel`): `P(return | category, channel) × cost of a
///   return at the node`.
/// - **Forecast-aware opportunity cost** (`OpportunityCosts`): LP duals of node stock under
///   expected demand, computed once (per route run, or when the service starts) and cached
///   with the forecast run it came from.
public struct SourcingSignals: Sendable {
    /// λ per (item × nodeCount + node) for stores; empty = store protection off.
    public var walkInNeed: [Double]
    public var markdown: MarkdownExposure?
    public var returns: ReturnCostModel?
    public var opportunity: OpportunityCosts?

    public init(
        walkInNeed: [Double] = [], markdown: MarkdownExposure? = nil, returns: ReturnCostModel? = nil, opportunity: OpportunityCosts? = nil
    ) {
        self.walkInNeed = walkInNeed; self.markdown = markdown; self.returns = returns; self.opportunity = opportunity
    }

    public var isOff: Bool { walkInNeed.isEmpty && markdown == nil && returns == nil && opportunity == nil }

    /// From (location key, item key, units) rows (e.g. `KeelDatabase.protectedWalkInNeed`).
    public init(network: SourcingNetwork, walkInNeed rows: [(locationKey: Int64, itemKey: Int64, units: Double)]) {
        self.init(walkInNeed: Self.walkInNeed(network: network, rows: rows))
    }

    static func walkInNeed(network: SourcingNetwork, rows: [(locationKey: Int64, itemKey: Int64, units: Double)]) -> [Double] {
        var need = [Double](repeating: 0, count: network.items.count * network.nodeCount)
        for r in rows {
            guard let n = network.node(key: r.locationKey), network.nodes[n].type == .store, let i = network.item(key: r.itemKey) else { continue }
            need[i * network.nodeCount + n] += max(r.units, 0)
        }
        return need
    }

    /// Every signal `configuration` switches on, read from the store. The opportunity cost solves
    /// its LP here, against `state` (the stock now).
    public static func load(
        _ db: KeelDatabase, network: SourcingNetwork, state: SourcingState, configuration: SignalConfiguration
    ) throws -> SourcingSignals {
        var s = SourcingSignals()
        if let p = configuration.storeProtection {
            s.walkInNeed = walkInNeed(network: network, rows: try db.protectedWalkInNeed(days: p.days))
        }
        if let m = configuration.markdown {
            s.markdown = MarkdownExposure(
                network: network, rates: try db.forecastDailyRates(days: m.forecastDays),
                markdowns: try db.scheduledMarkdowns(after: network.asOf, through: network.asOf.adding(m.scheduledWithinDays)),
                configuration: m)
        }
        if let r = configuration.returns {
            s.returns = ReturnCostModel(network: network, history: try db.returnHistory(through: network.asOf), configuration: r)
        }
        if let o = configuration.opportunity, let rates = try db.forecastDailyRates(days: o.horizonDays) {
            s.opportunity = try OpportunityCosts.compute(
                network: network, state: state,
                demand: expectedOnlineDemand(network: network, rates: rates, zoneUnits: try db.orderUnitsByZone(), days: o.horizonDays),
                horizonDays: o.horizonDays, maxDemandLines: o.maxDemandLines, forecastRunId: rates.runId)
        }
        return s
    }

    /// Expected online demand per (zone, item) over `days`: the item's online forecast rate ×
    /// days, spread over zones in proportion to the units the orders table sends to each zone.
    /// Empty when there are no orders to tell where demand goes.
    public static func expectedOnlineDemand(
        network: SourcingNetwork, rates: SourcingSignalInputs.ForecastRates, zoneUnits: [(zoneKey: Int64, units: Double)], days: Int
    ) -> [OpportunityCosts.Demand] {
        let zones = zoneUnits.compactMap { z in network.zone(key: z.zoneKey).map { ($0, z.units) } }
        let total = zones.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return [] }
        var out: [OpportunityCosts.Demand] = []
        for r in rates.onlineByItem {
            guard let i = network.item(key: r.itemKey), r.perDay > 0 else { continue }
            for (z, units) in zones where units > 0 {
                out.append(.init(zone: z, item: i, units: r.perDay * Double(days) * units / total))
            }
        }
        return out
    }

    /// The adjustments for the stock in `state` (empty when every signal is off); with `items`,
    /// only those items' entries are computed (the rest stay 0).
    public func adjustments(network: SourcingNetwork, state: SourcingState, items: [Int]? = nil) -> UnitAdjustments {
        guard !isOff else { return UnitAdjustments() }
        let N = network.nodeCount, count = network.items.count * N
        var out = UnitAdjustments()
        out.returns = returns
        let itemList = items ?? Array(0..<network.items.count)
        if !walkInNeed.isEmpty {
            var values = [Double](repeating: 0, count: count)
            for i in itemList {
                let margin = max(network.items[i].unitPrice - network.items[i].unitCost, 0)
                guard margin > 0 else { continue }
                for n in 0..<N {
                    let lambda = walkInNeed[i * N + n], s = state.available(item: i, node: n)
                    guard lambda > 0, s > 0 else { continue }
                    values[i * N + n] = margin * Self.poissonTail(lambda, atLeast: Int(s.rounded(.down)))
                }
            }
            out.protection = values
        }
        if let markdown {
            var values = [Double](repeating: 0, count: count)
            for i in itemList {
                for n in 0..<N { values[i * N + n] = markdown.creditPerUnit(i * N + n, available: state.available(item: i, node: n)) }
            }
            out.agingCredit = values
        }
        if let opportunity { out.opportunity = opportunity.values }
        if !out.protection.isEmpty || !out.agingCredit.isEmpty || !out.opportunity.isEmpty {
            var total = [Double](repeating: 0, count: count)
            for k in 0..<count {
                total[k] =
                    (out.protection.isEmpty ? 0 : out.protection[k]) + (out.opportunity.isEmpty ? 0 : out.opportunity[k])
                    - (out.agingCredit.isEmpty ? 0 : out.agingCredit[k])
            }
            out.values = total
        }
        return out
    }

    /// P(D ≥ k) for D ~ Poisson(λ): 1 − Σ_{j<k} e^{−λ} λ^j / j!, summed in log space so that a
    /// large λ does not underflow; 0 once k is far in the upper tail.
    static func poissonTail(_ lambda: Double, atLeast k: Int) -> Double {
        guard k > 0 else { return 1 }
        guard lambda > 0 else { return 0 }
        if Double(k) > lambda + 40 * lambda.squareRoot() + 40 { return 0 }
        let logLambda = log(lambda)
        var cdf = 0.0
        for j in 0..<k { cdf += exp(Double(j) * logLambda - lambda - lgamma(Double(j + 1))) }
        return min(max(0, 1 - cdf), 1)
    }
}
