import GRDB
import KeelStore

/// Every row of every table, as sorted text: equal fingerprints mean the database holds exactly
/// the same data (used to prove a rejected import changed nothing).
public func fingerprint(_ database: KeelDatabase) throws -> [String: [String]] {
    try database.pool.read { db in
        var out: [String: [String]] = [:]
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        for t in tables {
            out[t] = try Row.fetchAll(db, sql: "SELECT * FROM \(t)").map { $0.description }.sorted()
        }
        return out
    }
}
