import Foundation
import KeelCore

/// One plan for one order: its shipments, the lines it cannot source, the cost breakdown and
/// why each node was chosen or not.
public struct SourcingPlan: Sendable, Codable, Equatable {
    public struct ShipmentLine: Sendable, Codable, Equatable {
        public var line: Int
        public var sku: String
        public var qty: Double
        /// This line's per-unit shipping (per-kg or transfer per-unit) and handling; the
        /// shipment's fixed cost is not included.
        public var shipCost: Double
        public var handlingCost: Double
        /// The line's signal amounts (all 0 with every signal off).
        public var signals: SignalCosts
    }
    public struct Shipment: Sendable, Codable, Equatable {
        /// One per distinct order × location × service: `"<order>-<location>-<service>"`.
        public var shipmentId: String
        public var locationId: String
        public var service: String
        public var lines: [ShipmentLine]
        /// The rate's (or lane's) cost per shipment.
        public var fixedCost: Double
        /// Fixed + per-kg shipping (or the transfer lane's cost for pickup).
        public var shipCost: Double
        /// Pick cost.
        public var handlingCost: Double
        /// Signal adjustments (0 with every signal off); not part of shipping + handling.
        public var adjustment: Double
        /// `adjustment` by signal.
        public var signals: SignalCosts
        public var expectedDelivery: Day
        public var promiseMet: Bool
    }
    public struct UnsourcedLine: Sendable, Codable, Equatable {
        public var line: Int
        public var sku: String
        public var qty: Double
        public var reason: String
    }
    public struct NodeReason: Sendable, Codable, Equatable {
        public var locationId: String
        public var chosen: Bool
        public var reason: String
    }

    public var orderId: String
    public var rank: Int
    public var shipments: [Shipment]
    public var unsourced: [UnsourcedLine]
    public var shippingCost: Double
    public var handlingCost: Double
    public var adjustment: Double
    /// `adjustment` by signal: store protection + opportunity cost + expected return cost −
    /// aging credit.
    public var signals: SignalCosts
    /// Shipping + handling + adjustments: with the expected return cost on, the expected cost to
    /// serve (plus the opportunity and protection charges when those are on).
    public var totalCost: Double
    public var lateLines: Int
    /// The penalised objective the optimiser ranks by.
    public var objective: Double
    /// Whether the search proving this plan finished (false = best found within the budget).
    public var exact: Bool
    public var nodes: [NodeReason]
}

extension SourcingNetwork {
    /// Turns an assignment into a plan with its cost breakdown; `reasons` adds the per-node
    /// chosen/rejected explanation (skipped in the batch, where it is not reported).
    ///
    /// `rejections` (from `rejectionReasons`, computed once per order) saves recomputing the
    /// per-node reasons for each of an order's k plans; without it they are computed here.
    public func plan(
        _ order: ResolvedOrder, _ cand: OrderCandidates, _ a: OrderOptimizer.Assignment, state: SourcingState,
        rank: Int, exact: Bool, reasons: Bool, rejections: [String]? = nil
    ) -> SourcingPlan {
        let L = cand.lineCount
        var shipments: [SourcingPlan.Shipment] = [], byCand: [Int: Int] = [:]
        var unsourced: [SourcingPlan.UnsourcedLine] = []
        var ship = 0.0, handling = 0.0, adjust = 0.0, late = 0
        var signals = SignalCosts()
        for l in 0..<L {
            let sku = items[order.items[l]].sku
            let c = a.choice[l]
            guard c >= 0 else {
                unsourced.append(
                    .init(
                        line: order.lineNumbers[l], sku: sku, qty: order.qty[l],
                        reason: unsourcedReason(order, cand, line: l, state: state)))
                continue
            }
            let k = c * L + l
            let s: Int
            if let i = byCand[c] {
                s = i
            } else {
                s = shipments.count
                byCand[c] = s
                let n = cand.nodes[c]
                shipments.append(
                    .init(
                        shipmentId: "\(order.orderId)-\(nodes[n].id)-\(cand.service)", locationId: nodes[n].id, service: cand.service,
                        lines: [], fixedCost: cand.fixed[c], shipCost: cand.fixed[c], handlingCost: 0, adjustment: 0,
                        signals: SignalCosts(), expectedDelivery: cand.delivery[c], promiseMet: !cand.late[c]))
                ship += cand.fixed[c]
            }
            var lineSignals = SignalCosts()
            if !cand.unitSignals.isEmpty { lineSignals.add(cand.unitSignals[k], times: order.qty[l]) }
            shipments[s].lines.append(
                .init(
                    line: order.lineNumbers[l], sku: sku, qty: order.qty[l],
                    shipCost: cand.unitShip[k] * order.qty[l], handlingCost: cand.unitHandling[k] * order.qty[l], signals: lineSignals))
            shipments[s].signals.add(lineSignals)
            signals.add(lineSignals)
            shipments[s].shipCost += cand.unitShip[k] * order.qty[l]
            shipments[s].handlingCost += cand.unitHandling[k] * order.qty[l]
            shipments[s].adjustment += cand.unitAdjust[k] * order.qty[l]
            ship += cand.unitShip[k] * order.qty[l]
            handling += cand.unitHandling[k] * order.qty[l]
            adjust += cand.unitAdjust[k] * order.qty[l]
            if cand.late[c] { late += 1 }
        }
        var nodeReasons: [SourcingPlan.NodeReason] = []
        if reasons {
            // Candidate index per node (−1: not a candidate); the first candidate of a node wins.
            var candIndex = [Int](repeating: -1, count: nodeCount)
            for (c, n) in cand.nodes.enumerated() where candIndex[n] < 0 { candIndex[n] = c }
            nodeReasons.reserveCapacity(nodeCount)
            for n in 0..<nodeCount {
                let id = nodes[n].id
                let c = candIndex[n]
                if c >= 0, let si = byCand[c] {
                    let s = shipments[si]
                    var reason = "ships lines " + s.lines.map { String($0.line) }.joined(separator: ",")
                    reason += " for " + DecimalText.fixed(s.shipCost + s.handlingCost, 2)
                    reason += " (shipping " + DecimalText.fixed(s.shipCost, 2) + " + handling " + DecimalText.fixed(s.handlingCost, 2)
                    reason += "), delivery " + s.expectedDelivery.description + (s.promiseMet ? "" : " (late)")
                    if !s.signals.isZero { reason += "; signals " + (s.signals.net >= 0 ? "+" : "") + DecimalText.fixed(s.signals.net, 2) + ": " + s.signals.text }
                    nodeReasons.append(.init(locationId: id, chosen: true, reason: reason))
                } else if let why = cand.excluded[n] {
                    nodeReasons.append(.init(locationId: id, chosen: false, reason: why))
                } else if c >= 0 {
                    nodeReasons.append(.init(locationId: id, chosen: false, reason: rejections?[c] ?? rejectionReason(order, cand, c, state: state)))
                }
            }
        }
        return SourcingPlan(
            orderId: order.orderId, rank: rank, shipments: shipments, unsourced: unsourced, shippingCost: ship,
            handlingCost: handling, adjustment: adjust, signals: signals, totalCost: ship + handling + adjust, lateLines: late,
            objective: a.objective, exact: exact, nodes: nodeReasons)
    }

    /// `rejectionReason` of every candidate, by candidate index: the same for each of an order's
    /// plans (it depends on the order, the candidates and the state, not on the plan).
    public func rejectionReasons(_ order: ResolvedOrder, _ cand: OrderCandidates, state: SourcingState) -> [String] {
        let noStock = noStockReason(order)
        return (0..<cand.count).map { rejectionReason(order, cand, $0, state: state, noStock: noStock) }
    }

    /// "no stock of A, B": the same text for every node that holds none of the order's lines.
    func noStockReason(_ order: ResolvedOrder) -> String {
        "no stock of " + order.items.map { items[$0].sku }.joined(separator: ", ")
    }

    /// Why a feasible-by-rules candidate was not used: its stock, its capacity, its lateness, or cost.
    func rejectionReason(_ order: ResolvedOrder, _ cand: OrderCandidates, _ c: Int, state: SourcingState, noStock: String? = nil) -> String {
        let L = cand.lineCount, n = cand.nodes[c]
        // One pass over the lines it can hold: the smallest quantity (for the capacity check) and
        // the cheapest single-line shipment (for the cost reason).
        var holdsAny = false, smallest = Double.infinity
        var cheapest = Double.infinity, cheapestLine = -1
        for l in 0..<L where state.available(item: order.items[l], node: n) >= order.qty[l] - 1e-9 {
            if !holdsAny { cheapestLine = l }
            holdsAny = true
            smallest = min(smallest, order.qty[l])
            let unit: Double = cand.unitShip[c * L + l] + cand.unitHandling[c * L + l] + cand.unitAdjust[c * L + l]
            if cand.fixed[c] + unit * order.qty[l] < cheapest { cheapest = cand.fixed[c] + unit * order.qty[l]; cheapestLine = l }
        }
        if !holdsAny { return noStock ?? noStockReason(order) }
        if state.capacityLeft[n] < smallest - 1e-9 {
            return "no capacity left today (" + DecimalText.fixed(state.capacityLeft[n], 0) + " units)"
        }
        let late = cand.late[c] ? ", would deliver \(cand.delivery[c]) after the promise" : ""
        var signals = ""
        if !cand.unitSignals.isEmpty {
            var parts = SignalCosts()
            parts.add(cand.unitSignals[c * L + cheapestLine], times: order.qty[cheapestLine])
            if !parts.isZero { signals = " (incl. " + parts.text + ")" }
        }
        return "more expensive: a shipment from it costs at least " + DecimalText.fixed(cheapest, 2) + signals + late
    }

    func unsourcedReason(_ order: ResolvedOrder, _ cand: OrderCandidates, line l: Int, state: SourcingState) -> String {
        let q = order.qty[l]
        if cand.count == 0 { return "no node can serve zone \(zones[order.zone].id) with \(order.service.rawValue)" }
        let withStock = cand.nodes.filter { state.available(item: order.items[l], node: $0) >= q - 1e-9 }
        if withStock.isEmpty { return "no node has " + DecimalText.fixed(q, 0) + " units of " + items[order.items[l]].sku + " available" }
        return "the \(withStock.count) node(s) holding it have no capacity or units left for it"
    }
}
