import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import KeelCore
import KeelServer
import KeelStore
import KeelTestSupport

/// The tiny retailer behind the API, with one key per role (and a revoked router key).
///
/// Tiny-retailer facts the tests use (TinyRetailer's CSVs): as-of date 2026-03-05 (the latest
/// sale); DC1/B on hand 100, reserved 5, damaged 2, in transit 20 → available 93; S1/A on hand 5
/// (4 in the 03-04 snapshot + 1 restocked return on 03-05);
/// rates DC1→Z1 standard 5.5 + 0.4/kg (2 days), S1→Z1 standard 7 (1 day); pick cost DC1 0.5,
/// S1 1.2 per unit; weights A 0.2 kg, B 0.4 kg.
struct APIFixture: @unchecked Sendable {
    let tiny: ImportedTinyRetailer
    let api: KeelAPI
    let keys: [String: String]
    var database: KeelDatabase { tiny.database }

    /// `prepare` runs on the imported database before the API reads its network.
    static func make(prepare: (KeelDatabase) throws -> Void = { _ in }) throws -> APIFixture {
        let tiny = try TinyRetailer.importedDatabase()
        try prepare(tiny.database)
        var keys: [String: String] = [:]
        for role in APIRole.allCases { keys[role.rawValue] = try APIKeys.create(tiny.database, role: role).key }
        let revoked = try APIKeys.create(tiny.database, role: .router)
        try tiny.database.revokeAPIKey(id: revoked.id)
        keys["revoked"] = revoked.key
        return APIFixture(tiny: tiny, api: try KeelAPI(database: tiny.database), keys: keys)
    }

    /// Runs `body` against the API in process (Hummingbird's router test client).
    func test(api: KeelAPI? = nil, _ body: @escaping @Sendable (APIClient) async throws -> Void) async throws {
        let app = Application(router: (api ?? self.api).router())
        let keys = self.keys
        try await app.test(.router) { client in try await body(APIClient(client: client, keys: keys)) }
    }

    /// `test`, returning what `body` returns.
    func testReturning<T: Sendable>(_ body: @escaping @Sendable (APIClient) async throws -> T) async throws -> T {
        let app = Application(router: api.router())
        let keys = self.keys
        return try await app.test(.router) { client in try await body(APIClient(client: client, keys: keys)) }
    }

    /// Runs SQL on the fixture's database (outside the async context GRDB would pick otherwise).
    func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
        try database.pool.write { try $0.execute(sql: sql, arguments: arguments) }
    }

    func strings(_ sql: String) throws -> [String] {
        try database.pool.read { try String.fetchAll($0, sql: sql) }
    }

    /// Reserved units by "LOCATION/SKU" (only the non-zero ones).
    func reserved() throws -> [String: Double] {
        try database.pool.read { db in
            var out: [String: Double] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT location_id, sku, reserved FROM v_available_to_sell WHERE reserved > 0") {
                out["\(row[0] as String)/\(row[1] as String)"] = row[2]
            }
            return out
        }
    }
}

struct APIResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var text: String

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var errorMessage: String { (json["error"] as? [String: Any])?["message"] as? String ?? "" }
}

struct APIClient: Sendable {
    let client: any TestClientProtocol
    let keys: [String: String]

    /// `role` picks the key (nil: no Authorization header); `key` overrides it.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, role: String? = nil, key: String? = nil, idempotencyKey: String? = nil, body: String? = nil
    ) async throws -> APIResponse {
        var headers: HTTPFields = [:]
        if let k = key ?? role.flatMap({ keys[$0] }) { headers[.authorization] = "Bearer \(k)" }
        if let i = idempotencyKey { headers[HTTPFields.Element.Name("Idempotency-Key")!] = i }
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { r in
            APIResponse(status: r.status, headers: r.headers, text: String(buffer: r.body))
        }
    }
}

func number(_ any: Any?) -> Double { (any as? NSNumber)?.doubleValue ?? .nan }
