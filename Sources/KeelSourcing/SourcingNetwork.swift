import Foundation
import KeelCore

/// The fulfilment network in arrays laid out for the optimiser: nodes (locations), items, zones,
/// shipping rates indexed by (zone, service, node), transfer lanes into each node.
///
/// Built once per run (or cached by the service); the mutable part — stock and capacity left —
/// lives in `SourcingState`. Indices are dense (`0..<nodeCount`, …); keys are the store's.
public struct SourcingNetwork: Sendable {
    public struct Node: Sendable {
        public var key: Int64
        public var id: String
        public var type: LocationType
        public var latitude: Double
        public var longitude: Double
        /// Units per day; `.infinity` when the location has no limit.
        public var capacity: Double
        public var pickCostPerUnit: Double
        public var canShipToCustomer: Bool
        public var canPickup: Bool
        public init(
            key: Int64, id: String, type: LocationType, latitude: Double, longitude: Double, capacity: Double,
            pickCostPerUnit: Double, canShipToCustomer: Bool, canPickup: Bool
        ) {
            self.key = key; self.id = id; self.type = type; self.latitude = latitude; self.longitude = longitude
            self.capacity = capacity; self.pickCostPerUnit = pickCostPerUnit; self.canShipToCustomer = canShipToCustomer; self.canPickup = canPickup
        }
    }
    public struct Item: Sendable {
        public var key: Int64
        public var sku: String
        public var weightKg: Double
        public var unitPrice: Double
        public var unitCost: Double
        /// The item's category (the expected return cost learns return rates by category).
        public var category: String
        public init(key: Int64, sku: String, weightKg: Double, unitPrice: Double = 0, unitCost: Double = 0, category: String = "") {
            self.key = key; self.sku = sku; self.weightKg = weightKg; self.unitPrice = unitPrice; self.unitCost = unitCost
            self.category = category
        }
    }
    public struct Zone: Sendable {
        public var key: Int64
        public var id: String
        public var latitude: Double
        public var longitude: Double
        public init(key: Int64, id: String, latitude: Double, longitude: Double) {
            self.key = key; self.id = id; self.latitude = latitude; self.longitude = longitude
        }
    }
    /// A shipping rate: `costPerShipment + costPerKg × kg`, arriving after `transitDays`.
    public struct Rate: Sendable, Equatable {
        public var costPerShipment: Double
        public var costPerKg: Double
        public var transitDays: Int
        public init(costPerShipment: Double, costPerKg: Double, transitDays: Int) {
            self.costPerShipment = costPerShipment; self.costPerKg = costPerKg; self.transitDays = transitDays
        }
    }
    /// A transfer lane into a node (for pickup orders sourced elsewhere).
    public struct Lane: Sendable {
        public var from: Int
        public var costPerUnit: Double
        public var costPerShipment: Double
        public var transitDays: Int
    }

    public let asOf: Day
    public let nodes: [Node]
    public let items: [Item]
    public let zones: [Zone]
    /// `rates[(zone × 3 + service) × nodeCount + node]`, nil when the node has no such rate.
    let rates: [Rate?]
    /// Lanes into each node.
    let lanesInto: [[Lane]]
    let nodeByKey: [Int64: Int]
    let nodeById: [String: Int]
    let itemByKey: [Int64: Int]
    let itemBySku: [String: Int]
    let zoneByKey: [Int64: Int]
    let zoneById: [String: Int]

    public var nodeCount: Int { nodes.count }

    /// Rates are given as (node index, zone index, service, rate); lanes as (from, to, …) indices.
    public init(
        asOf: Day, nodes: [Node], items: [Item], zones: [Zone],
        rates: [(node: Int, zone: Int, service: ShippingService, rate: Rate)],
        lanes: [(from: Int, to: Int, costPerUnit: Double, costPerShipment: Double, transitDays: Int)] = []
    ) {
        self.asOf = asOf
        self.nodes = nodes
        self.items = items
        self.zones = zones
        var table = [Rate?](repeating: nil, count: zones.count * 3 * nodes.count)
        for r in rates { table[(r.zone * 3 + Self.serviceIndex(r.service)) * nodes.count + r.node] = r.rate }
        self.rates = table
        var into = [[Lane]](repeating: [], count: nodes.count)
        for l in lanes {
            into[l.to].append(Lane(from: l.from, costPerUnit: l.costPerUnit, costPerShipment: l.costPerShipment, transitDays: l.transitDays))
        }
        self.lanesInto = into
        nodeByKey = Dictionary(nodes.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        nodeById = Dictionary(nodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        itemByKey = Dictionary(items.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        itemBySku = Dictionary(items.enumerated().map { ($1.sku, $0) }, uniquingKeysWith: { a, _ in a })
        zoneByKey = Dictionary(zones.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        zoneById = Dictionary(zones.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    static func serviceIndex(_ s: ShippingService) -> Int {
        switch s {
        case .standard: return 0
        case .express: return 1
        case .sameDay: return 2
        }
    }

    /// The rate from `node` to `zone` in `service`, if the network has one.
    public func rate(node: Int, zone: Int, service: ShippingService) -> Rate? {
        rates[(zone * 3 + Self.serviceIndex(service)) * nodes.count + node]
    }

    public func node(key: Int64) -> Int? { nodeByKey[key] }
    public func node(id: String) -> Int? { nodeById[id] }
    public func item(key: Int64) -> Int? { itemByKey[key] }
    public func item(sku: String) -> Int? { itemBySku[sku] }
    public func zone(key: Int64) -> Int? { zoneByKey[key] }
    public func zone(id: String) -> Int? { zoneById[id] }

    /// Great-circle distance in km between a node and a zone centroid (the greedy baseline's
    /// notion of "nearest").
    public func distanceKm(node: Int, zone: Int) -> Double {
        let toRad = Double.pi / 180
        let a = nodes[node], b = zones[zone]
        let dLat = (b.latitude - a.latitude) * toRad, dLon = (b.longitude - a.longitude) * toRad
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(a.latitude * toRad) * cos(b.latitude * toRad) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * 6371 * asin(min(1, h.squareRoot()))
    }
}

/// Stock and capacity left: the mutable half of the network, `ats[item × nodeCount + node]`.
public struct SourcingState: Sendable, Equatable {
    public var ats: [Double]
    /// Units the node can still ship today (`.infinity` without a limit).
    public var capacityLeft: [Double]
    public let nodeCount: Int

    public init(network: SourcingNetwork) {
        nodeCount = network.nodeCount
        ats = [Double](repeating: 0, count: network.items.count * network.nodeCount)
        capacityLeft = network.nodes.map(\.capacity)
    }

    @inline(__always) public func available(item: Int, node: Int) -> Double { ats[item * nodeCount + node] }
    public mutating func setAvailable(item: Int, node: Int, _ units: Double) { ats[item * nodeCount + node] = max(units, 0) }
}
