import Foundation
import KeelCore
import KeelStore

/// The order router's engine: options for one order, and reservations that never oversell.
///
/// The network (locations, items, zones, rates, lanes) is read once at `init`; stock and
/// capacity are read per call. Every mutating call runs in one `BEGIN IMMEDIATE` transaction:
/// the plan is recomputed (or checked) against the stock as it is under the write lock, units
/// move to `inventory_positions.reserved` with a guarded update, and the answer is stored under
/// the request's idempotency key — a replayed key gets the first answer, byte for byte. A call
/// that throws writes nothing. Safe to share between tasks (`Sendable`).
public final class SourcingService: Sendable {
    public let database: KeelDatabase
    public let network: SourcingNetwork
    /// The switchable signals (all off by default).
    public let signals: SourcingSignals
    /// The latest successful import run when the network was read (nil before any import): the
    /// network's version, read in the same transaction as the network.
    public let importRun: Int64?
    /// Zeroed item × node states reused by `options` (one per concurrent call), instead of
    /// allocating and zeroing a whole network's worth of stock per request.
    private let states: StatePool

    /// What a reserve, reject or cancel answers.
    public struct Outcome: Sendable, Codable, Equatable {
        public struct Reserved: Sendable, Codable, Equatable {
            public var line: Int
            public var sku: String
            public var locationId: String
            public var qty: Double
            public var shipmentId: String
        }
        public var orderId: String
        /// `reserved` or `cancelled`.
        public var status: String
        public var reservations: [Reserved]
        /// Lines that could not be reserved anywhere, with the reason.
        public var unsourced: [SourcingPlan.UnsourcedLine]
        public var totalCost: Double
    }

    /// `asOf` defaults to the latest transaction date in the database. `signals` switches the
    /// sourcing signals on (all off by default); they are read once here — the opportunity cost's
    /// LP is solved here against the stock now and cached with its forecast run
    /// (`signals.opportunity?.forecastRunId`) for the service's lifetime.
    public init(database: KeelDatabase, asOf: Day? = nil, signals configuration: SignalConfiguration = .off) throws {
        self.database = database
        let (snapshot, run) = try database.pool.read {
            (try KeelDatabase.sourcingSnapshot($0, asOf: asOf, includeOrders: false), try KeelDatabase.latestImportRun($0))
        }
        importRun = run
        network = SourcingNetwork(snapshot: snapshot)
        if configuration.isOff {
            signals = SourcingSignals()
        } else {
            let state = network.state(stock: snapshot.stock, usedCapacity: snapshot.usedCapacity)
            signals = try SourcingSignals.load(database, network: network, state: state, configuration: configuration)
        }
        states = StatePool(network: network)
    }

    /// With `storeProtectionDays`, store protection is on: walk-in need over that many days
    /// from the latest forecast run (off when there is none).
    public convenience init(database: KeelDatabase, asOf: Day? = nil, storeProtectionDays: Int?) throws {
        try self.init(
            database: database, asOf: asOf, signals: SignalConfiguration(storeProtection: storeProtectionDays.map { .init(days: $0) }))
    }

    /// The exact best plan and up to `k − 1` next-best alternatives, ranked, each with its cost
    /// breakdown and per-node reasons. Reads the current stock; reserves nothing.
    ///
    /// Consistency: the order's stock and today's used capacity are read in one WAL read
    /// transaction started after the call begins, so the answer reflects every reservation
    /// committed before the request arrived (never older stock); a reservation committing while
    /// the options are computed is seen by the next request. Readers never wait for writers.
    public func options(_ order: SourcingOrder, k: Int = 3) throws -> [SourcingPlan] {
        try options(order, k: k, requireCurrentNetwork: false)!
    }

    /// `options`, or nil when an import has committed since this service read its network (the
    /// caller builds a fresh service and asks again): the stock is then read in the same
    /// transaction as the check, so stock and network never come from different imports.
    public func optionsIfCurrent(_ order: SourcingOrder, k: Int = 3) throws -> [SourcingPlan]? {
        try options(order, k: k, requireCurrentNetwork: true)
    }

    private func options(_ order: SourcingOrder, k: Int, requireCurrentNetwork: Bool) throws -> [SourcingPlan]? {
        guard (1...20).contains(k) else { throw SourcingError.invalid(field: "k", reason: "between 1 and 20, got \(k)") }
        let resolved: ResolvedOrder
        do {
            resolved = try network.resolve(order, rejectPastPromise: true)
        } catch {
            // An unknown sku or zone may be known to a newer import.
            if requireCurrentNetwork, try database.latestImportRun() != importRun { return nil }
            throw error
        }
        let now = try database.currentAvailability(itemKeys: resolved.items.map { network.items[$0].key }, day: network.asOf)
        if requireCurrentNetwork && now.importRun != importRun { return nil }
        return states.with { state in
            network.fill(&state, stock: now.stock, usedCapacity: now.usedCapacity)
            defer { clear(&state, now.stock) }
            let cand = network.candidates(for: resolved, adjustments: signals.adjustments(network: network, state: state, items: resolved.items))
            var result = OrderOptimizer().solve(resolved, cand, state: state, k: k)
            // Alternatives never leave more lines unsourced than the best plan.
            let fewest = result.best[0].choice.filter { $0 < 0 }.count
            result.best = result.best.filter { $0.choice.filter { $0 < 0 }.count <= fewest }
            let rejections = network.rejectionReasons(resolved, cand, state: state)
            return result.best.enumerated().map {
                network.plan(resolved, cand, $1, state: state, rank: $0 + 1, exact: result.exact, reasons: true, rejections: rejections)
            }
        }
    }

    /// Puts the stock `network.fill` wrote back to zero, so the state can be reused.
    private func clear(_ state: inout SourcingState, _ stock: [SourcingSnapshot.Stock]) {
        for s in stock {
            guard let n = network.node(key: s.locationKey), let i = network.item(key: s.itemKey) else { continue }
            state.setAvailable(item: i, node: n, 0)
        }
    }

    /// Reserves the best plan for `order` as the stock is now (or exactly `plan`, when given and
    /// still feasible). Conflicts: the order is already reserved or cancelled, the key was used
    /// for something else, the given plan no longer fits.
    public func reserve(_ order: SourcingOrder, idempotencyKey: String, plan: SourcingPlan? = nil) throws -> Outcome {
        guard !idempotencyKey.isEmpty else { throw SourcingError.invalid(field: "Idempotency-Key", reason: "empty") }
        let resolved = try network.resolve(order, rejectPastPromise: true)
        let request = RunLog.json(order)
        return try database.withReservationTransaction { ledger in
            if let replay = try replayed(ledger, key: idempotencyKey, operation: "reserve", orderId: order.orderId) { return replay }
            if let existing = try ledger.routerOrder(order.orderId) {
                throw SourcingError.conflict("order \(order.orderId) is already \(existing.status)")
            }
            let state = try currentState(ledger, resolved)
            let cand = network.candidates(for: resolved, adjustments: signals.adjustments(network: network, state: state, items: resolved.items))
            let choice: [Int]
            if let plan {
                choice = try self.choice(from: plan, resolved, cand)
                guard state.fits(resolved, cand, choice) else { throw SourcingError.conflict("the plan no longer fits the stock available now") }
            } else {
                choice = OrderOptimizer().solve(resolved, cand, state: state).best[0].choice
            }
            let chosen = network.plan(resolved, cand, .init(choice: choice, objective: 0), state: state, rank: 1, exact: true, reasons: false)
            try reserveShipments(ledger, chosen, resolved)
            try ledger.saveRouterOrder(order.orderId, request: request, status: "reserved")
            return try answer(ledger, key: idempotencyKey, operation: "reserve", orderId: order.orderId, unsourced: chosen.unsourced)
        }
    }

    /// A node refuses the order: its reservations for the order are released and those lines are
    /// re-sourced elsewhere (never at a node that rejected the order), consolidating into the
    /// order's remaining shipments where that is cheapest.
    public func reject(orderId: String, locationId: String, reason: String, idempotencyKey: String) throws -> Outcome {
        guard !idempotencyKey.isEmpty else { throw SourcingError.invalid(field: "Idempotency-Key", reason: "empty") }
        guard let node = network.node(id: locationId) else {
            throw SourcingError.invalid(field: "location_id", reason: "unknown location '\(locationId)'")
        }
        guard !reason.isEmpty else { throw SourcingError.invalid(field: "reason", reason: "empty") }
        return try database.withReservationTransaction { ledger in
            if let replay = try replayed(ledger, key: idempotencyKey, operation: "reject", orderId: orderId) { return replay }
            let order = try reservedOrder(ledger, orderId)
            try ledger.recordRejection(orderId: orderId, locationKey: network.nodes[node].key, reason: reason)
            let released = try ledger.release(orderId: orderId, locationKey: network.nodes[node].key)
            var unsourced: [SourcingPlan.UnsourcedLine] = []
            if !released.isEmpty {
                let releasedLines = Set(released.map(\.line))
                var sub = order
                sub.lines = order.lines.filter { releasedLines.contains($0.line) }
                let resolved = try network.resolve(sub, rejectPastPromise: false)
                let rejected = Set(try ledger.rejectedLocations(orderId: orderId).compactMap { network.node(key: $0) })
                let state = try currentState(ledger, resolved)
                var cand = network.candidates(
                    for: resolved, rejected: rejected, adjustments: signals.adjustments(network: network, state: state, items: resolved.items))
                // Shipments the order already has cost nothing more to add lines to.
                let open = Set(try ledger.reservations(orderId: orderId).map(\.locationKey))
                for c in 0..<cand.count where open.contains(network.nodes[cand.nodes[c]].key) { cand.fixed[c] = 0 }
                let choice = OrderOptimizer().solve(resolved, cand, state: state).best[0].choice
                let plan = network.plan(resolved, cand, .init(choice: choice, objective: 0), state: state, rank: 1, exact: true, reasons: false)
                try reserveShipments(ledger, plan, resolved)
                unsourced = plan.unsourced
            }
            return try answer(ledger, key: idempotencyKey, operation: "reject", orderId: orderId, unsourced: unsourced)
        }
    }

    /// Releases everything the order holds and marks it cancelled (also in the orders table).
    public func cancel(orderId: String, idempotencyKey: String) throws -> Outcome {
        guard !idempotencyKey.isEmpty else { throw SourcingError.invalid(field: "Idempotency-Key", reason: "empty") }
        return try database.withReservationTransaction { ledger in
            if let replay = try replayed(ledger, key: idempotencyKey, operation: "cancel", orderId: orderId) { return replay }
            let order = try reservedOrder(ledger, orderId)
            try ledger.release(orderId: orderId)
            try ledger.saveRouterOrder(orderId, request: RunLog.json(order), status: "cancelled")
            try ledger.cancelOrderLines(orderId: orderId)
            return try answer(ledger, key: idempotencyKey, operation: "cancel", orderId: orderId, unsourced: [])
        }
    }

    // MARK: - Inside the transaction

    private func replayed(_ ledger: ReservationLedger, key: String, operation: String, orderId: String) throws -> Outcome? {
        guard let stored = try ledger.storedResponse(key: key) else { return nil }
        guard stored.operation == operation, stored.orderId == orderId else {
            throw SourcingError.conflict("idempotency key '\(key)' was used for \(stored.operation) of order \(stored.orderId)")
        }
        return try JSONDecoder().decode(Outcome.self, from: Data(stored.response.utf8))
    }

    private func reservedOrder(_ ledger: ReservationLedger, _ orderId: String) throws -> SourcingOrder {
        guard let saved = try ledger.routerOrder(orderId) else { throw SourcingError.notFound("order \(orderId) has no reservation") }
        guard saved.status == "reserved" else { throw SourcingError.conflict("order \(orderId) is \(saved.status)") }
        return try JSONDecoder().decode(SourcingOrder.self, from: Data(saved.request.utf8))
    }

    private func currentState(_ ledger: ReservationLedger, _ order: ResolvedOrder) throws -> SourcingState {
        network.state(
            stock: try ledger.availability(itemKeys: order.items.map { network.items[$0].key }),
            usedCapacity: try ledger.usedCapacity(day: network.asOf))
    }

    private func reserveShipments(_ ledger: ReservationLedger, _ plan: SourcingPlan, _ order: ResolvedOrder) throws {
        for s in plan.shipments {
            guard let n = network.node(id: s.locationId) else { continue }
            for l in s.lines {
                guard let i = network.item(sku: l.sku) else { continue }
                try ledger.reserve(
                    .init(
                        orderId: plan.orderId, line: l.line, locationKey: network.nodes[n].key, itemKey: network.items[i].key,
                        qty: l.qty, shipmentId: s.shipmentId, service: s.service, shipDay: network.asOf))
            }
        }
    }

    /// The answer from what is now reserved; stored under the key and returned as stored.
    private func answer(
        _ ledger: ReservationLedger, key: String, operation: String, orderId: String,
        unsourced: [SourcingPlan.UnsourcedLine]
    ) throws -> Outcome {
        let held = try ledger.reservations(orderId: orderId)
        let status = try ledger.routerOrder(orderId)?.status ?? "reserved"
        var total = 0.0
        var reserved: [Outcome.Reserved] = []
        for r in held {
            guard let n = network.node(key: r.locationKey), let i = network.item(key: r.itemKey) else { continue }
            reserved.append(.init(line: r.line, sku: network.items[i].sku, locationId: network.nodes[n].id, qty: r.qty, shipmentId: r.shipmentId))
        }
        // Cost of what is held: fixed once per shipment plus per-unit parts.
        if let order = try reservedOrderOrNil(ledger, orderId), let resolved = try? network.resolve(order, rejectPastPromise: false) {
            let cand = network.candidates(for: resolved)
            var seen = Set<String>()
            for r in reserved {
                guard let n = network.node(id: r.locationId), let c = cand.nodes.firstIndex(of: n),
                    let l = resolved.lineNumbers.firstIndex(of: r.line)
                else { continue }
                if seen.insert(r.shipmentId).inserted { total += cand.fixed[c] }
                total += (cand.unitShip[c * cand.lineCount + l] + cand.unitHandling[c * cand.lineCount + l]) * r.qty
            }
        }
        let outcome = Outcome(orderId: orderId, status: status, reservations: reserved, unsourced: unsourced, totalCost: total)
        let text = RunLog.json(outcome)
        try ledger.storeResponse(key: key, operation: operation, orderId: orderId, response: text)
        return try JSONDecoder().decode(Outcome.self, from: Data(text.utf8))
    }

    private func reservedOrderOrNil(_ ledger: ReservationLedger, _ orderId: String) throws -> SourcingOrder? {
        try ledger.routerOrder(orderId).flatMap { try? JSONDecoder().decode(SourcingOrder.self, from: Data($0.request.utf8)) }
    }

    /// The candidate choice that reproduces a plan's shipments.
    private func choice(from plan: SourcingPlan, _ order: ResolvedOrder, _ cand: OrderCandidates) throws -> [Int] {
        var choice = [Int](repeating: -1, count: order.items.count)
        for s in plan.shipments {
            guard let n = network.node(id: s.locationId), let c = cand.nodes.firstIndex(of: n) else {
                throw SourcingError.invalid(field: "plan", reason: "location '\(s.locationId)' cannot serve this order")
            }
            for l in s.lines {
                guard let idx = order.lineNumbers.firstIndex(of: l.line) else {
                    throw SourcingError.invalid(field: "plan", reason: "no line \(l.line)")
                }
                choice[idx] = c
            }
        }
        return choice
    }
}

/// A small free list of zeroed `SourcingState`s (lock-protected; at most `keep` are kept).
final class StatePool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [SourcingState] = []
    private let network: SourcingNetwork
    private let keep: Int

    init(network: SourcingNetwork, keep: Int = 32) {
        self.network = network
        self.keep = keep
    }

    /// Runs `body` with a state whose stock is all zero; `body` must leave it so.
    func with<T>(_ body: (inout SourcingState) throws -> T) rethrows -> T {
        var state = lock.withLock { free.popLast() } ?? SourcingState(network: network)
        let result = try body(&state)
        lock.withLock { if free.count < keep { free.append(state) } }
        return result
    }
}
