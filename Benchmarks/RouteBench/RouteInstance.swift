import Foundation
import KeelCore
import KeelSourcing

/// Seeded random sourcing instances: nodes (a fifth DCs, the rest stores that ship), zones and
/// items scattered over a ~1,500 km square, distance-based rates (standard and express), sparse
/// stock, orders of 1–4 lines with promise dates.
struct RouteInstance {
    var network: SourcingNetwork
    var state: SourcingState
    var orders: [ResolvedOrder]

    struct Shape {
        var nodes: Int
        var zones: Int
        var items: Int
        var orders: Int
        /// Probability that a node stocks an item, and the mean units when it does (DC, store).
        var stockProbability: (dc: Double, store: Double)
        var meanUnits: (dc: Double, store: Double)
        /// Store shipping capacity per day (DCs: unlimited).
        var storeCapacity: ClosedRange<Int>
    }

    static func generate(_ shape: Shape, seed: UInt64) -> RouteInstance {
        var rng = SeededRandom(seed: seed)
        let asOf = Day("2026-03-01")!
        func point() -> (Double, Double) { (32 + 12 * rng.uniform(), -100 + 18 * rng.uniform()) }
        var nodes: [SourcingNetwork.Node] = []
        for n in 0..<shape.nodes {
            let isDC = n % 5 == 0
            let (lat, lon) = point()
            let cap = isDC ? Double.infinity : Double(shape.storeCapacity.lowerBound + rng.int(shape.storeCapacity.count))
            nodes.append(
                .init(
                    key: Int64(n + 1), id: String(format: "N%03d", n), type: isDC ? .dc : .store, latitude: lat, longitude: lon,
                    capacity: cap, pickCostPerUnit: isDC ? 0.4 + 0.4 * rng.uniform() : 1.5 + rng.uniform(),
                    canShipToCustomer: true, canPickup: !isDC))
        }
        var zones: [SourcingNetwork.Zone] = []
        for z in 0..<shape.zones {
            let (lat, lon) = point()
            zones.append(.init(key: Int64(z + 1), id: String(format: "Z%03d", z), latitude: lat, longitude: lon))
        }
        let items = (0..<shape.items).map {
            SourcingNetwork.Item(key: Int64($0 + 1), sku: String(format: "SKU%04d", $0), weightKg: 0.1 + 2.9 * rng.uniform() * rng.uniform())
        }
        // Rates from distance: a probe network gives distances.
        let probe = SourcingNetwork(asOf: asOf, nodes: nodes, items: items, zones: zones, rates: [])
        var rates: [(node: Int, zone: Int, service: ShippingService, rate: SourcingNetwork.Rate)] = []
        for n in 0..<shape.nodes {
            let factor = nodes[n].type == .dc ? 1.0 : 1.15
            for z in 0..<shape.zones {
                let d = probe.distanceKm(node: n, zone: z)
                let base = (4 + 0.006 * d) * factor * (0.9 + 0.2 * rng.uniform())
                let perKg = 0.25 + 0.0006 * d
                let transit = 1 + Int(d / 450)
                rates.append(
                    (
                        n, z, .standard,
                        .init(costPerShipment: (base * 100).rounded() / 100, costPerKg: (perKg * 100).rounded() / 100, transitDays: transit)
                    ))
                rates.append(
                    (
                        n, z, .express,
                        .init(
                            costPerShipment: (base * 220).rounded() / 100, costPerKg: (perKg * 200).rounded() / 100,
                            transitDays: max(1, transit - 1))
                    ))
            }
        }
        let network = SourcingNetwork(asOf: asOf, nodes: nodes, items: items, zones: zones, rates: rates)
        var state = SourcingState(network: network)
        for i in 0..<shape.items {
            for n in 0..<shape.nodes {
                let isDC = nodes[n].type == .dc
                guard rng.chance(isDC ? shape.stockProbability.dc : shape.stockProbability.store) else { continue }
                state.setAvailable(item: i, node: n, Double(1 + rng.poisson((isDC ? shape.meanUnits.dc : shape.meanUnits.store) - 1)))
            }
        }
        var orders: [ResolvedOrder] = []
        orders.reserveCapacity(shape.orders)
        for o in 0..<shape.orders {
            var lineCount = 1
            while lineCount < 4, rng.chance(0.45) { lineCount += 1 }
            var itemsInOrder: [Int] = []
            while itemsInOrder.count < lineCount {
                // Popularity skew: the square of a uniform favours low item numbers.
                let u = rng.uniform()
                let i = min(shape.items - 1, Int(u * u * Double(shape.items)))
                if !itemsInOrder.contains(i) { itemsInOrder.append(i) }
            }
            let express = rng.chance(0.15)
            let promise = asOf.adding(express ? 1 + rng.int(2) : 3 + rng.int(3))
            orders.append(
                ResolvedOrder(
                    orderId: String(format: "O%06d", o), lineNumbers: Array(1...lineCount), items: itemsInOrder,
                    qty: itemsInOrder.map { _ in rng.chance(0.8) ? 1 : 2 }, zone: rng.int(shape.zones),
                    service: express ? .express : .standard, promise: promise, pickupNode: nil))
        }
        return RouteInstance(network: network, state: state, orders: orders)
    }
}
