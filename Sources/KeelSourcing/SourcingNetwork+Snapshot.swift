import KeelCore
import KeelStore

extension SourcingNetwork {
    /// The network as the store holds it (locations, items, zones, rates, lanes).
    public init(snapshot s: SourcingSnapshot) {
        let nodes = s.locations.map {
            Node(
                key: $0.key, id: $0.id, type: $0.type, latitude: $0.latitude, longitude: $0.longitude,
                capacity: $0.shipCapacityPerDay ?? .infinity, pickCostPerUnit: $0.pickCostPerUnit,
                canShipToCustomer: $0.canShipToCustomer, canPickup: $0.canPickup)
        }
        let items = s.items.map { Item(key: $0.key, sku: $0.sku, weightKg: $0.weightKg, unitPrice: $0.unitPrice, unitCost: $0.unitCost, category: $0.category)
        }
        let zones = s.zones.map { Zone(key: $0.key, id: $0.id, latitude: $0.latitude, longitude: $0.longitude) }
        let nodeIndex = Dictionary(nodes.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        let zoneIndex = Dictionary(zones.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        let rates = s.rates.compactMap { r -> (node: Int, zone: Int, service: ShippingService, rate: Rate)? in
            guard let n = nodeIndex[r.locationKey], let z = zoneIndex[r.zoneKey] else { return nil }
            return (n, z, r.service, Rate(costPerShipment: r.costPerShipment, costPerKg: r.costPerKg, transitDays: r.transitDays))
        }
        let lanes = s.lanes.compactMap { l -> (from: Int, to: Int, costPerUnit: Double, costPerShipment: Double, transitDays: Int)? in
            guard let a = nodeIndex[l.fromKey], let b = nodeIndex[l.toKey] else { return nil }
            return (a, b, l.costPerUnit, l.costPerShipment, l.transitDays)
        }
        self.init(asOf: s.asOf, nodes: nodes, items: items, zones: zones, rates: rates, lanes: lanes)
    }

    /// The state in a snapshot: available-to-sell and capacity left after today's commitments.
    public func state(stock: [SourcingSnapshot.Stock], usedCapacity: [Int64: Double]) -> SourcingState {
        var state = SourcingState(network: self)
        fill(&state, stock: stock, usedCapacity: usedCapacity)
        return state
    }

    /// Writes `stock` and the capacity left after `usedCapacity` into a state whose stock is all
    /// zero (a fresh one, or one reused from `SourcingService`'s pool and cleared).
    func fill(_ state: inout SourcingState, stock: [SourcingSnapshot.Stock], usedCapacity: [Int64: Double]) {
        for s in stock {
            guard let n = node(key: s.locationKey), let i = item(key: s.itemKey) else { continue }
            state.setAvailable(item: i, node: n, s.availableToSell)
        }
        for n in 0..<nodeCount { state.capacityLeft[n] = nodes[n].capacity }
        for (key, used) in usedCapacity {
            guard let n = node(key: key) else { continue }
            state.capacityLeft[n] = max(state.capacityLeft[n] - used, 0)
        }
    }

    /// The snapshot's open lines grouped into orders (lines of one order share zone, service,
    /// promise and pickup store; the first line's values are used). Lines whose order refers to
    /// unknown keys are reported back rather than dropped silently. The order's channel is its first
    /// line's (the importer admits only the contract's channels).
    public func openOrders(_ s: SourcingSnapshot) -> [ResolvedOrder] {
        var out: [ResolvedOrder] = []
        var i = 0
        let lines = s.openLines
        while i < lines.count {
            var j = i
            while j < lines.count, lines[j].orderId == lines[i].orderId { j += 1 }
            let first = lines[i]
            var r = ResolvedOrder(
                orderId: first.orderId, lineNumbers: [], items: [], qty: [], zone: zone(key: first.zoneKey) ?? 0,
                service: first.service, promise: first.promiseDay,
                pickupNode: first.pickupLocationKey.flatMap { node(key: $0) }, channel: Channel(rawValue: first.channel) ?? .web)
            for l in lines[i..<j] {
                guard let item = item(key: l.itemKey) else { continue }
                r.lineNumbers.append(l.line); r.items.append(item); r.qty.append(l.qty)
            }
            out.append(r)
            i = j
        }
        return out
    }
}
