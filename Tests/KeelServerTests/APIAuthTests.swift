import Foundation
import GRDB
import KeelServer
import Testing

/// Keys and roles: no key, unknown key, revoked key → 401; wrong role → 403; the role matrix.
@Suite struct APIAuthTests {
    @Test func missingUnknownAndRevokedKeysAre401() async throws {
        let f = try APIFixture.make()
        try await f.test { c in
            let none = try await c.send(.get, "/v1/inventory/B")
            #expect(none.status == .unauthorized && none.errorCode == "missing_api_key")
            #expect(none.headers[.wwwAuthenticate] == "Bearer")
            let unknown = try await c.send(.get, "/v1/inventory/B", key: "not-a-key")
            #expect(unknown.status == .unauthorized && unknown.errorCode == "invalid_api_key")
            let revoked = try await c.send(.get, "/v1/inventory/B", role: "revoked")
            #expect(revoked.status == .unauthorized && revoked.errorCode == "revoked_api_key")
            // The same key works until it is revoked.
            #expect(try await c.send(.get, "/v1/inventory/B", role: "router").status == .ok)
        }
    }

    /// A verified key is trusted for the key cache's time: revoked meanwhile, it keeps working
    /// within it (60 s: far beyond the test's own duration) and is refused once it has passed
    /// (0.2 s, asked again after 0.4 s); with no cache (0 s), at once. No timing can flip these.
    @Test func aRevokedKeyStopsWorkingWithinTheKeyCacheTime() async throws {
        for seconds in [0.0, 0.2, 60.0] {
            let f = try APIFixture.make()
            let api = try KeelAPI(database: f.database, keyCacheSeconds: seconds)
            try await f.test(api: api) { c in
                #expect(try await c.send(.get, "/v1/inventory/B", role: "planner").status == .ok)
                let id = try #require(Int64(try f.strings("SELECT key_id FROM api_keys WHERE role = 'planner'").first ?? ""))
                try f.database.revokeAPIKey(id: id)
                if seconds == 0.2 { try await Task.sleep(for: .seconds(0.4)) }
                let after = try await c.send(.get, "/v1/inventory/B", role: "planner")
                if seconds == 60 {
                    #expect(after.status == .ok, "still inside the cache time: \(after.text)")
                } else {
                    #expect(after.status == .unauthorized && after.errorCode == "revoked_api_key", "\(seconds) s: \(after.text)")
                }
                // Other keys are not affected.
                #expect(try await c.send(.get, "/v1/inventory/B", role: "router").status == .ok)
            }
        }
    }

    @Test func roleMatrix() async throws {
        let f = try APIFixture.make()
        // (method, path, body, roles allowed besides admin)
        let order = #"{"lines":[{"line":1,"sku":"B","qty":1}],"ship_to_zone":"Z1","service":"standard"}"#
        let cases: [(String, String, String?, Set<String>)] = [
            ("POST", "/v1/sourcing/options", order, ["router"]),
            ("GET", "/v1/inventory/B", nil, ["router", "planner"]),
            ("GET", "/v1/plans/forecasts", nil, ["planner"]),
            ("GET", "/v1/anomalies", nil, ["finance"]),
        ]
        try await f.test { c in
            for (method, path, body, allowed) in cases {
                for role in ["router", "planner", "finance", "admin"] {
                    let r = try await c.send(.init(method)!, path, role: role, body: body)
                    if allowed.contains(role) || role == "admin" {
                        // Allowed: not an auth error (forecasts has no run yet → 404 not_found).
                        #expect(r.status != .forbidden && r.status != .unauthorized, "\(role) \(path): \(r.text)")
                    } else {
                        #expect(r.status == .forbidden && r.errorCode == "forbidden", "\(role) \(path): \(r.text)")
                    }
                }
            }
        }
    }

    @Test func keysAreStoredHashedOnly() throws {
        let f = try APIFixture.make()
        let created = try APIKeys.create(f.database, role: .planner)
        // 32 bytes in base64url without padding: 43 characters of [A-Za-z0-9_-].
        #expect(created.key.count == 43)
        #expect(created.key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        let stored = try f.database.pool.read { try String.fetchAll($0, sql: "SELECT hash FROM api_keys") }
        #expect(!stored.contains(created.key))
        // SHA-256 of "abc" (FIPS 180-2 test vector).
        #expect(APIKeys.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(stored.contains(APIKeys.hash(created.key)))
        #expect(throws: (any Error).self) { try f.database.revokeAPIKey(id: 999) }
    }
}
