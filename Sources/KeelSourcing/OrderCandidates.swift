import KeelCore

/// The nodes that could serve one order, with the cost model applied (all arrays flat,
/// candidate-major: `[c × lineCount + l]`).
///
/// Cost model (with every signal off): a shipment from node n costs
/// `cost_per_shipment + Σ cost_per_kg × weight × units` (the fixed part once per node), plus
/// handling `pick_cost_per_unit × units`. Pickup orders: at the pickup store, shipping is 0 and
/// delivery is the as-of date; from another node, the transfer lane's `cost_per_shipment +
/// cost_per_unit × units` and its transit days. Delivery = as-of + transit; late when after the
/// promise date (no promise = never late). `adjust` (the signals: protection, aging credit,
/// opportunity, expected return cost) is a per-unit amount used by the optimiser's objective and
/// reported separately.
public struct OrderCandidates: Sendable {
    public var lineCount: Int
    public var nodes: [Int] = []
    public var fixed: [Double] = []
    public var delivery: [Day] = []
    public var late: [Bool] = []
    /// Per unit: shipping (per-kg or transfer per-unit), handling (pick), signal adjustment.
    public var unitShip: [Double] = []
    public var unitHandling: [Double] = []
    public var unitAdjust: [Double] = []
    /// The signal parts of `unitAdjust` per (candidate, line), when the adjustments have parts.
    public var unitSignals: [SignalCosts] = []
    /// Why each non-candidate node cannot serve the order at all.
    public var excluded: [Int: String] = [:]
    public var service: String

    public var count: Int { nodes.count }
}

/// Per-unit objective adjustments by (item, node), `values[item × nodeCount + node]`, and the
/// order-dependent expected return cost. `values` is the total of the (item, node) signals
/// (protection + opportunity − aging credit, or the batch's LP duals); the parts, when present,
/// are kept for the cost breakdown. Empty = all signals off.
public struct UnitAdjustments: Sendable {
    public var values: [Double]
    public var protection: [Double] = []
    /// Positive amounts: the credit is subtracted in `values`.
    public var agingCredit: [Double] = []
    public var opportunity: [Double] = []
    public var returns: ReturnCostModel?
    public init(values: [Double] = []) { self.values = values }
    public var isEmpty: Bool { values.isEmpty && returns == nil }
    /// Whether the signal parts are known (the plan then breaks its adjustment down).
    var hasParts: Bool { !protection.isEmpty || !agingCredit.isEmpty || !opportunity.isEmpty || returns != nil }

    /// These adjustments with `extra` (same layout) added to the totals only.
    func addingToTotals(_ extra: [Double]) -> UnitAdjustments {
        var out = self
        out.values = values.isEmpty ? extra : zip(values, extra).map { $0 + $1 }
        return out
    }
}

extension SourcingNetwork {
    /// The candidate nodes for `order`: those that may serve it by the network's rules (a rate to
    /// the zone in the order's service and permission to ship to customers; for pickup, the
    /// pickup store or a lane into it), excluding `rejected`. Stock and capacity are checked by
    /// the optimiser against a `SourcingState`.
    public func candidates(for order: ResolvedOrder, rejected: Set<Int> = [], adjustments: UnitAdjustments = .init()) -> OrderCandidates {
        let L = order.items.count
        var c = OrderCandidates(lineCount: L, service: order.service.rawValue)
        let parts = adjustments.hasParts
        func add(node n: Int, fixed: Double, transit: Int, perUnitShip: [Double]) {
            c.nodes.append(n)
            c.fixed.append(fixed)
            let d = asOf.adding(transit)
            c.delivery.append(d)
            c.late.append(order.promise.map { d > $0 } ?? false)
            for l in 0..<L {
                c.unitShip.append(perUnitShip[l])
                c.unitHandling.append(nodes[n].pickCostPerUnit)
                guard !adjustments.isEmpty else { c.unitAdjust.append(0); continue }
                let k = order.items[l] * nodeCount + n
                let returnCost = adjustments.returns?.perUnit(item: order.items[l], channel: order.channel, node: n) ?? 0
                c.unitAdjust.append((adjustments.values.isEmpty ? 0 : adjustments.values[k]) + returnCost)
                if parts {
                    c.unitSignals.append(
                        SignalCosts(
                            storeProtection: adjustments.protection.isEmpty ? 0 : adjustments.protection[k],
                            agingCredit: adjustments.agingCredit.isEmpty ? 0 : adjustments.agingCredit[k],
                            opportunityCost: adjustments.opportunity.isEmpty ? 0 : adjustments.opportunity[k], expectedReturnCost: returnCost))
                }
            }
        }
        if order.service == .pickup {
            guard let store = order.pickupNode else {
                for n in 0..<nodeCount { c.excluded[n] = "pickup order without a pickup store" }
                return c
            }
            for n in 0..<nodeCount {
                if rejected.contains(n) { c.excluded[n] = "rejected this order"; continue }
                if n == store { add(node: n, fixed: 0, transit: 0, perUnitShip: [Double](repeating: 0, count: L)); continue }
                guard let lane = lanesInto[store].first(where: { $0.from == n }) else {
                    c.excluded[n] = "no transfer lane to pickup store \(nodes[store].id)"; continue
                }
                add(node: n, fixed: lane.costPerShipment, transit: lane.transitDays, perUnitShip: [Double](repeating: lane.costPerUnit, count: L))
            }
            return c
        }
        let service: ShippingService =
            switch order.service {
            case .standard, .pickup: .standard
            case .express: .express
            case .sameDay: .sameDay
            }
        for n in 0..<nodeCount {
            if rejected.contains(n) { c.excluded[n] = "rejected this order"; continue }
            guard nodes[n].canShipToCustomer else { c.excluded[n] = "cannot ship to customers"; continue }
            guard let rate = rate(node: n, zone: order.zone, service: service) else {
                c.excluded[n] = "no \(service.rawValue) rate to zone \(zones[order.zone].id)"; continue
            }
            add(
                node: n, fixed: rate.costPerShipment, transit: rate.transitDays,
                perUnitShip: order.items.map { rate.costPerKg * items[$0].weightKg })
        }
        return c
    }
}
