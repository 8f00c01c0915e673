import Foundation
import Hummingbird
import KeelAnomaly
import KeelCore
import KeelSourcing
import KeelStore

/// The order-router HTTP API: a Hummingbird router of thin handlers over `SourcingService`,
/// `AnomalyQueue` and the store's read queries. Every handler checks its key's role first;
/// SQLite work never runs on the NIO event loops: `BlockingPool` for writes and most reads, the
/// options endpoint in its handler (see `options`).
public struct KeelAPI: Sendable {
    /// Larger bodies are refused with 413 `body_too_large`.
    public static let maxBodyBytes = 64 * 1024
    /// Page sizes: `limit` defaults to 100 and may not exceed 1,000.
    public static let defaultPageSize = 100
    public static let maxPageSize = 1000

    public let database: KeelDatabase
    public let metrics: RequestMetrics
    /// The sourcing service, rebuilt after a new import (see `SourcingHolder`).
    let holder: SourcingHolder

    /// Verified keys, remembered for `keyCacheSeconds`.
    let keys: APIKeyCache

    /// `asOf` is the sourcing date (default: the latest transaction date, as `SourcingService`);
    /// `signals` the sourcing signals the options and reservations use (default: all off).
    /// `keyCacheSeconds`: how long a verified API key is trusted without a new lookup — a revoked
    /// key stops working within this time (0: every request reads `api_keys`).
    public init(database: KeelDatabase, asOf: Day? = nil, signals: SignalConfiguration = .off, keyCacheSeconds: Double = 1) throws {
        self.database = database
        self.keys = APIKeyCache(seconds: keyCacheSeconds)
        self.holder = try SourcingHolder(database: database, asOf: asOf, signals: signals)
        self.metrics = RequestMetrics()
    }

    /// Every route of the API (method, path) — the OpenAPI document must cover each.
    public static let routes: [(method: String, path: String)] = [
        ("GET", "/healthz"), ("GET", "/metrics"), ("GET", "/openapi.json"),
        ("POST", "/v1/sourcing/options"), ("POST", "/v1/orders/{id}/reserve"), ("POST", "/v1/orders/{id}/reject"),
        ("POST", "/v1/orders/{id}/cancel"), ("GET", "/v1/inventory/{sku}"), ("GET", "/v1/plans/{kind}"),
        ("GET", "/v1/anomalies"), ("PATCH", "/v1/anomalies/{id}"),
    ]

    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: APIErrorMiddleware())
        let api = self
        router.get("/healthz") { _, _ in
            let ok = try await BlockingPool.run { try api.database.appliedMigrations().count }
            return JSONResponse.make(.ok, ["status": "ok", "migrations": "\(ok)"])
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: api.metrics.prometheusText())))
        }
        router.get("/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        router.post("/v1/sourcing/options") { request, _ in try await api.options(request) }
        router.post("/v1/orders/{id}/reserve") { request, context in try await api.reserve(request, orderId: context.parameters.require("id")) }
        router.post("/v1/orders/{id}/reject") { request, context in try await api.reject(request, orderId: context.parameters.require("id")) }
        router.post("/v1/orders/{id}/cancel") { request, context in try await api.cancel(request, orderId: context.parameters.require("id")) }
        router.get("/v1/inventory/{sku}") { request, context in try await api.inventory(request, sku: context.parameters.require("sku")) }
        router.get("/v1/plans/{kind}") { request, context in try await api.plans(request, kind: context.parameters.require("kind")) }
        router.get("/v1/anomalies") { request, _ in try await api.anomalies(request) }
        router.patch("/v1/anomalies/{id}") { request, context in try await api.patchAnomaly(request, id: context.parameters.require("id")) }
        return router
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully (in-flight requests finish).
    public func run(host: String, port: Int) async throws {
        let app = Application(
            router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "keel"))
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    // MARK: - Handlers

    /// Request body of the order endpoints; `order_id` may be omitted when the path names it.
    struct OrderBody: Decodable, Equatable {
        var orderId: String?
        var lines: [SourcingOrder.Line]
        var shipToZone: String
        var service: OrderService
        var promiseDate: Day?
        var pickupLocationId: String?
        var k: Int?
        var channel: Channel?

        enum CodingKeys: String, CodingKey {
            case orderId = "order_id", lines, shipToZone = "ship_to_zone", service, promiseDate = "promise_date"
            case pickupLocationId = "pickup_location_id", k
            case channel
        }

        func order(id: String) -> SourcingOrder {
            SourcingOrder(
                orderId: id, lines: lines, shipToZone: shipToZone, service: service, promiseDate: promiseDate, pickupLocationId: pickupLocationId,
                channel: channel)
        }
    }

    /// `{"order_id": …, "plans": [SourcingPlan…]}`, written by `JSONWriter` (see `SourcingPlan+JSON`).
    static func optionsAnswer(orderId: String, plans: [SourcingPlan]) throws -> [UInt8] {
        var w = JSONWriter(capacity: 2048 + 6144 * plans.count)
        w.beginObject()
        w.field("order_id", orderId)
        w.key("plans")
        w.beginArray()
        var memo = SourcingPlan.NodeMemo()
        for p in plans { try p.write(to: &w, memo: &memo) }
        w.endArray()
        w.endObject()
        return w.bytes
    }

    func options(_ request: Request) async throws -> Response {
        // The hot path. Handlers run on Swift concurrency's cooperative threads, not on the NIO
        // event loops, and this one never waits on a lock: the key check and the stock read are
        // WAL read transactions (readers never wait for writers), the rest is CPU work of well
        // under a millisecond. So it runs right here; a hop to `BlockingPool` (the same threads)
        // only queued it twice. A bad body is reported only after the key passed (as on every
        // other endpoint).
        let keyHash = try Self.keyHash(request)
        let body: Result<OrderBody, any Error>
        do { body = .success(try await decodeOrder(request)) } catch { body = .failure(error) }
        try authorize(keyHash: keyHash, .sourcing)
        let b = try body.get()
        let order = b.order(id: b.orderId ?? "quote")
        let plans = try holder.options(order, k: b.k ?? 3)
        return JSONResponse.make(.ok, bytes: try Self.optionsAnswer(orderId: order.orderId, plans: plans))
    }

    func reserve(_ request: Request, orderId: String) async throws -> Response {
        try await authorize(request, .sourcing)
        let key = try idempotencyKey(request)
        let body = try await decodeOrder(request)
        if let id = body.orderId, id != orderId {
            throw APIError(.badRequest, "invalid_request", "order_id: the body's '\(id)' differs from the path's '\(orderId)'")
        }
        let order = body.order(id: orderId)
        let holder = self.holder
        let outcome = try await BlockingPool.run { try holder.current().reserve(order, idempotencyKey: key) }
        return JSONResponse.make(.ok, outcome)
    }

    struct RejectBody: Decodable {
        var locationId: String
        var reason: String
        enum CodingKeys: String, CodingKey { case locationId = "location_id", reason }
    }

    func reject(_ request: Request, orderId: String) async throws -> Response {
        try await authorize(request, .sourcing)
        let key = try idempotencyKey(request)
        let body = try await decode(RejectBody.self, request)
        let holder = self.holder
        let outcome = try await BlockingPool.run {
            try holder.current().reject(orderId: orderId, locationId: body.locationId, reason: body.reason, idempotencyKey: key)
        }
        return JSONResponse.make(.ok, outcome)
    }

    func cancel(_ request: Request, orderId: String) async throws -> Response {
        try await authorize(request, .sourcing)
        let key = try idempotencyKey(request)
        let holder = self.holder
        let outcome = try await BlockingPool.run { try holder.current().cancel(orderId: orderId, idempotencyKey: key) }
        return JSONResponse.make(.ok, outcome)
    }

    struct InventoryAnswer: Encodable {
        var sku: String
        var nodes: [NodeAvailability]
        var availableToSell: Double
    }

    func inventory(_ request: Request, sku: String) async throws -> Response {
        try await authorize(request, .inventory)
        let database = self.database
        let nodes = try await BlockingPool.run { try database.availability(sku: sku) }
        return JSONResponse.make(.ok, InventoryAnswer(sku: sku, nodes: nodes, availableToSell: nodes.reduce(0) { $0 + $1.availableToSell }))
    }

    func plans(_ request: Request, kind: String) async throws -> Response {
        try await authorize(request, .plans)
        guard let k = ExportKind(rawValue: kind), k != .anomalies else {
            throw APIError(.notFound, "not_found", "unknown plan kind '\(kind)' (replenishment, transfers, sourcing, forecasts)")
        }
        let q = request.uri.queryParameters
        var filter = try page(request)
        filter.locationId = q["location_id"].map(String.init)
        filter.sku = q["sku"].map(String.init)
        let database = self.database
        let f = filter
        let page = try await BlockingPool.run { try database.planPage(k, filter: f) }
        return JSONResponse.make(.ok, page)
    }

    func anomalies(_ request: Request) async throws -> Response {
        try await authorize(request, .anomalies)
        let q = request.uri.queryParameters
        var filter = try page(request)
        if let s = q["status"] {
            guard AnomalyStatus(rawValue: String(s)) != nil else {
                throw APIError(.badRequest, "invalid_request", "status: must be open, acknowledged or resolved, got '\(s)'")
            }
            filter.status = String(s)
        }
        filter.kind = q["kind"].map(String.init)
        let database = self.database
        let f = filter
        let page = try await BlockingPool.run { try database.anomalyPage(filter: f) }
        return JSONResponse.make(.ok, page)
    }

    struct PatchBody: Decodable {
        var status: String
        var note: String?
    }

    func patchAnomaly(_ request: Request, id: String) async throws -> Response {
        try await authorize(request, .anomalies)
        guard let anomalyId = Int64(id) else { throw APIError(.badRequest, "invalid_request", "id: not an integer: '\(id)'") }
        let body = try await decode(PatchBody.self, request)
        guard let status = AnomalyStatus(rawValue: body.status) else {
            throw APIError(.badRequest, "invalid_request", "status: must be open, acknowledged or resolved, got '\(body.status)'")
        }
        let database = self.database
        let change = try await BlockingPool.run { try AnomalyQueue.setStatus(database, id: anomalyId, to: status, note: body.note) }
        return JSONResponse.make(.ok, change)
    }

    // MARK: - Request helpers

    /// Checks `Authorization: Bearer <key>` and the key's role.
    @discardableResult
    func authorize(_ request: Request, _ permission: APIPermission) async throws -> APIRole {
        let hash = try Self.keyHash(request)
        let api = self
        return try await BlockingPool.run { try api.authorize(keyHash: hash, permission) }
    }

    /// The SHA-256 of the request's bearer key (401 `missing_api_key` without one).
    static func keyHash(_ request: Request) throws -> String {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "), header.utf8.count > 7 else {
            throw APIError(.unauthorized, "missing_api_key", "send the API key as 'Authorization: Bearer <key>'")
        }
        // Spaces and tabs around the key are ignored (keys are base64url: any other character
        // makes an unknown key). Byte-level: Foundation's trimming was half of this function.
        var key = header.utf8.dropFirst(7)
        while let b = key.first, b == 0x20 || b == 0x09 { key = key.dropFirst() }
        while let b = key.last, b == 0x20 || b == 0x09 { key = key.dropLast() }
        return APIKeys.hash(String(decoding: key, as: UTF8.self))
    }

    /// The key's record and role check (blocking: call it off the event loops).
    @discardableResult
    func authorize(keyHash hash: String, _ permission: APIPermission) throws -> APIRole {
        guard let record = try keys.record(hash: hash, database) else {
            throw APIError(.unauthorized, "invalid_api_key", "the API key is not known")
        }
        if let when = record.revokedAt { throw APIError(.unauthorized, "revoked_api_key", "API key \(record.id) was revoked at \(when)") }
        guard let role = APIRole(rawValue: record.role), permission.allows(role) else {
            throw APIError(.forbidden, "forbidden", "the \(record.role) role may not use this endpoint")
        }
        return role
    }

    func idempotencyKey(_ request: Request) throws -> String {
        guard let name = HTTPFields.Element.Name("Idempotency-Key"), let key = request.headers[name], !key.isEmpty else {
            throw APIError(.badRequest, "missing_idempotency_key", "the Idempotency-Key header is required")
        }
        return key
    }

    /// Reads at most `maxBodyBytes` and decodes it: invalid JSON → 400 `malformed_json`; JSON of
    /// the wrong shape → 400 `invalid_request` naming the field.
    func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        try Self.decode(T.self, Data(try await body(request).readableBytesView))
    }

    /// The order body: `OrderBodyParser` on the bytes, `JSONDecoder` when it declines (see there).
    func decodeOrder(_ request: Request) async throws -> OrderBody {
        let buffer = try await body(request)
        if let order = buffer.withUnsafeReadableBytes({ OrderBodyParser.parse($0) }) { return order }
        return try Self.decode(OrderBody.self, Data(buffer.readableBytesView))
    }

    /// The request body, at most `maxBodyBytes` (413 `body_too_large` beyond).
    func body(_ request: Request) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > Self.maxBodyBytes {
            throw APIError(.contentTooLarge, "body_too_large", "the request body is larger than \(Self.maxBodyBytes) bytes")
        }
        var request = request
        return try await request.collectBody(upTo: Self.maxBodyBytes)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty && (try? JSONSerialization.jsonObject(with: data)) == nil {
            // The text itself is not JSON (checked only on this error path, not on every request).
            throw APIError(.badRequest, "malformed_json", "the request body is not valid JSON")
        } catch let DecodingError.keyNotFound(key, context) {
            throw APIError(.badRequest, "invalid_request", "\(Self.path(context.codingPath + [key])): required")
        } catch let DecodingError.typeMismatch(_, context) {
            throw APIError(.badRequest, "invalid_request", "\(Self.path(context.codingPath)): wrong type")
        } catch let DecodingError.valueNotFound(_, context) {
            throw APIError(.badRequest, "invalid_request", "\(Self.path(context.codingPath)): required")
        } catch let DecodingError.dataCorrupted(context) {
            throw APIError(.badRequest, "invalid_request", "\(Self.path(context.codingPath)): \(context.debugDescription)")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        var s = ""
        for k in keys {
            if let i = k.intValue { s += "[\(i)]" } else { s += s.isEmpty ? k.stringValue : ".\(k.stringValue)" }
        }
        return s.isEmpty ? "body" : s
    }

    func page(_ request: Request) throws -> RowFilter {
        let q = request.uri.queryParameters
        func int(_ name: String, _ defaultValue: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let text = q[Substring(name)] else { return defaultValue }
            guard let v = Int(text), range.contains(v) else {
                throw APIError(.badRequest, "invalid_request", "\(name): must be an integer in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
            }
            return v
        }
        return RowFilter(limit: try int("limit", Self.defaultPageSize, 1...Self.maxPageSize), offset: try int("offset", 0, 0...Int(Int32.max)))
    }
}
