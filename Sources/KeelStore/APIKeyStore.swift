import GRDB

/// Stored HTTP API keys (`api_keys`, migration `v4-api-keys`). The store never sees a key, only
/// its hash (the HTTP layer hashes); it records, looks up and revokes.
public struct APIKeyRecord: Sendable, Equatable {
    public var id: Int64
    public var role: String
    public var createdAt: String
    public var revokedAt: String?
}

extension KeelDatabase {
    /// Records a new key's hash with its role; returns the key's id.
    public func insertAPIKey(role: String, hash: String) throws -> Int64 {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO api_keys(role, hash, created_at) VALUES (?, ?, ?)", arguments: [role, hash, RunLog.now()])
            return db.lastInsertedRowID
        }
    }

    /// The key whose hash is `hash`, revoked or not; nil when there is none.
    public func apiKey(hash: String) throws -> APIKeyRecord? {
        try pool.read { db in
            try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT key_id, role, created_at, revoked_at FROM api_keys WHERE hash = ?"), arguments: [hash])
                .map { APIKeyRecord(id: $0[0], role: $0[1], createdAt: $0[2], revokedAt: $0[3]) }
        }
    }

    /// Revokes key `id`. Throws `.notFound` for an unknown id and `.invalid` when already revoked.
    public func revokeAPIKey(id: Int64) throws {
        try pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT revoked_at FROM api_keys WHERE key_id = ?", arguments: [id]) else {
                throw StoreError.notFound("no API key with id \(id)")
            }
            if let when: String = row[0] { throw StoreError.invalid("API key \(id) was already revoked at \(when)") }
            try db.execute(sql: "UPDATE api_keys SET revoked_at = ? WHERE key_id = ?", arguments: [RunLog.now(), id])
        }
    }
}
