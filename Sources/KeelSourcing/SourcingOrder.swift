import KeelCore

/// An order to source, as the router (or the orders table) gives it.
public struct SourcingOrder: Sendable, Codable, Equatable {
    public struct Line: Sendable, Codable, Equatable {
        public var line: Int
        public var sku: String
        public var qty: Double
        public init(line: Int, sku: String, qty: Double) { self.line = line; self.sku = sku; self.qty = qty }
    }
    public var orderId: String
    public var lines: [Line]
    public var shipToZone: String
    public var service: OrderService
    public var promiseDate: Day?
    public var pickupLocationId: String?
    /// The sales channel the order came from (the expected return cost depends on it); nil = `web`.
    public var channel: Channel?

    public init(
        orderId: String, lines: [Line], shipToZone: String, service: OrderService, promiseDate: Day? = nil, pickupLocationId: String? = nil,
        channel: Channel? = nil
    ) {
        self.orderId = orderId; self.lines = lines; self.shipToZone = shipToZone; self.service = service
        self.promiseDate = promiseDate; self.pickupLocationId = pickupLocationId; self.channel = channel
    }

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id", lines, shipToZone = "ship_to_zone", service, promiseDate = "promise_date", pickupLocationId = "pickup_location_id"
        case channel
    }
}

extension SourcingOrder.Line {
    enum CodingKeys: String, CodingKey { case line, sku, qty }
}

/// An order checked against the network: dense indices, ready for the optimiser.
public struct ResolvedOrder: Sendable {
    public var orderId: String
    public var lineNumbers: [Int]
    public var items: [Int]
    public var qty: [Double]
    public var zone: Int
    public var service: OrderService
    public var promise: Day?
    public var pickupNode: Int?
    public var channel: Channel

    public init(
        orderId: String, lineNumbers: [Int], items: [Int], qty: [Double], zone: Int, service: OrderService, promise: Day?, pickupNode: Int?,
        channel: Channel = .web
    ) {
        self.orderId = orderId; self.lineNumbers = lineNumbers; self.items = items; self.qty = qty; self.zone = zone
        self.service = service; self.promise = promise; self.pickupNode = pickupNode; self.channel = channel
    }
}

extension SourcingNetwork {
    /// Checks an order: non-empty id and lines, known skus and zone, positive finite quantities,
    /// distinct line numbers, a pickup store for pickup orders. With `rejectPastPromise`, a
    /// promise date before the as-of date is an error (the router's requests); the batch accepts
    /// such lines and ships them late. Throws `SourcingError.invalid` naming the field.
    public func resolve(_ order: SourcingOrder, rejectPastPromise: Bool) throws(SourcingError) -> ResolvedOrder {
        guard !order.orderId.isEmpty else { throw .invalid(field: "order_id", reason: "empty") }
        guard !order.lines.isEmpty else { throw .invalid(field: "lines", reason: "an order needs at least one line") }
        guard let zone = zone(id: order.shipToZone) else { throw .invalid(field: "ship_to_zone", reason: "unknown zone '\(order.shipToZone)'") }
        var r = ResolvedOrder(
            orderId: order.orderId, lineNumbers: [], items: [], qty: [], zone: zone, service: order.service,
            promise: order.promiseDate, pickupNode: nil, channel: order.channel ?? .web)
        var seen = Set<Int>()
        for (i, l) in order.lines.enumerated() {
            guard let item = item(sku: l.sku) else { throw .invalid(field: "lines[\(i)].sku", reason: "unknown sku '\(l.sku)'") }
            guard l.qty.isFinite, l.qty > 0 else { throw .invalid(field: "lines[\(i)].qty", reason: "quantity must be positive, got \(l.qty)") }
            guard seen.insert(l.line).inserted else { throw .invalid(field: "lines[\(i)].line", reason: "duplicate line number \(l.line)") }
            r.lineNumbers.append(l.line); r.items.append(item); r.qty.append(l.qty)
        }
        if rejectPastPromise, let p = order.promiseDate, p < asOf {
            throw .invalid(field: "promise_date", reason: "\(p) is before the as-of date \(asOf)")
        }
        if order.service == .pickup {
            guard let id = order.pickupLocationId else { throw .invalid(field: "pickup_location_id", reason: "required for a pickup order") }
            guard let n = node(id: id) else { throw .invalid(field: "pickup_location_id", reason: "unknown location '\(id)'") }
            guard nodes[n].canPickup else { throw .invalid(field: "pickup_location_id", reason: "\(id) does not offer pickup") }
            r.pickupNode = n
        }
        return r
    }
}
