import Foundation

/// The switchable signals on top of shipping + handling, as per-unit adjustments by (item, node).
/// With every signal off the adjustments are empty and the objective is exactly shipping +
/// handling.
///
/// Built here: **store protection** — a store's walk-in need over the next days (from the latest
/// forecast run) is Poisson with mean λ; taking a unit when `s` units are available costs its
/// expected lost margin `(unit_price − unit_cost) × P(D ≥ s)` (the chance the last unit would
/// have sold to a walk-in customer). The forecast-aware opportunity cost enters the batch
/// through the LP duals (`BatchRouter`); aging/markdown credit and expected return cost are not
/// built (see the README).
public struct SourcingSignals: Sendable {
    /// λ per (item × nodeCount + node) for stores; empty = store protection off.
    public var walkInNeed: [Double]

    public init(walkInNeed: [Double] = []) { self.walkInNeed = walkInNeed }

    public var isOff: Bool { walkInNeed.isEmpty }

    /// From (location key, item key, units) rows (e.g. `KeelDatabase.protectedWalkInNeed`).
    public init(network: SourcingNetwork, walkInNeed rows: [(locationKey: Int64, itemKey: Int64, units: Double)]) {
        var need = [Double](repeating: 0, count: network.items.count * network.nodeCount)
        for r in rows {
            guard let n = network.node(key: r.locationKey), network.nodes[n].type == .store, let i = network.item(key: r.itemKey) else { continue }
            need[i * network.nodeCount + n] += max(r.units, 0)
        }
        self.init(walkInNeed: need)
    }

    /// The adjustments for the stock in `state` (empty when every signal is off); with `items`,
    /// only those items' entries are computed (the rest stay 0).
    public func adjustments(network: SourcingNetwork, state: SourcingState, items: [Int]? = nil) -> UnitAdjustments {
        guard !isOff else { return UnitAdjustments() }
        var values = [Double](repeating: 0, count: walkInNeed.count)
        let N = network.nodeCount
        for i in items ?? Array(0..<network.items.count) {
            let margin = max(network.items[i].unitPrice - network.items[i].unitCost, 0)
            guard margin > 0 else { continue }
            for n in 0..<N {
                let lambda = walkInNeed[i * N + n], s = state.available(item: i, node: n)
                guard lambda > 0, s > 0 else { continue }
                values[i * N + n] = margin * Self.poissonTail(lambda, atLeast: Int(s.rounded(.down)))
            }
        }
        return UnitAdjustments(values: values)
    }

    /// P(D ≥ k) for D ~ Poisson(λ): 1 − Σ_{j<k} e^{−λ} λ^j / j!.
    static func poissonTail(_ lambda: Double, atLeast k: Int) -> Double {
        guard k > 0 else { return 1 }
        var term = exp(-lambda), cdf = 0.0
        for j in 0..<k {
            cdf += term
            term *= lambda / Double(j + 1)
        }
        return max(0, 1 - cdf)
    }
}
