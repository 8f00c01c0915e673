import Foundation
import GRDB

/// The operational core: one SQLite file in WAL mode with foreign keys on, migrated by name.
///
/// Opening migrates the schema (idempotent). Readers see the last committed state while an
/// import or a run writes, so the order router and planners never see half a run.
public final class KeelDatabase: Sendable {
    public let path: String
    public let pool: DatabasePool
    /// The router's per-request stock read, on connections of its own (see `StockReader`).
    let stockReader: StockReader

    public init(path: String) throws {
        self.path = path
        stockReader = StockReader(path: path)
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            try db.execute(sql: """
                PRAGMA synchronous = NORMAL;
                PRAGMA temp_store = MEMORY;
                PRAGMA cache_size = -262144;
                PRAGMA mmap_size = 1073741824;
                """)
        }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        pool = try DatabasePool(path: path, configuration: config)
        try KeelDatabase.migrator.migrate(pool)
    }

    /// Names of the migrations applied to this database, in order.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try KeelDatabase.migrator.appliedMigrations(db) }
    }

    /// Row count of a table (tables named by the schema only).
    public func count(_ table: String) throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }
}

extension KeelDatabase {
    /// Marks the database as built by `keel demo`, which may then replace it.
    public func markAsDemoDatabase() throws {
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO keel_meta(key, value) VALUES ('demo_database', 1)")
        }
    }

    public func isDemoDatabase() throws -> Bool {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT value FROM keel_meta WHERE key = 'demo_database'") == 1 }
    }
}
