import Foundation
import GRDBSQLite
import KeelCore

/// The options endpoint's per-request read — available-to-sell of an order's items, the capacity
/// used on a day and the latest import run, in one read transaction — on read-only SQLite
/// connections of its own with statements prepared once.
///
/// Through GRDB's `DatabasePool.read` the wrapping (reader checkout, a savepoint, a schema-version
/// check, statement texts parsed again) cost as much as the read itself: a tenth of the endpoint's
/// CPU. These connections open the same WAL file read-only; SQLite gives each of their
/// transactions a consistent snapshot of the last commit, as it does GRDB's readers, so the
/// consistency rule is unchanged: the answer reflects every commit before the read began. Idle
/// connections are reused (at most `maxIdle` kept) and closed with the reader.
public final class StockReader: @unchecked Sendable {
    private let path: String
    private let lock = NSLock()
    private var idle: [Connection] = []
    static let maxIdle = 8

    public init(path: String) { self.path = path }

    deinit { for c in idle { c.close() } }

    /// See `KeelDatabase.currentAvailability`.
    public func read(itemKeys: [Int64], day: Day) throws
        -> (stock: [SourcingSnapshot.Stock], usedCapacity: [Int64: Double], importRun: Int64?)
    {
        let connection = try lock.withLock({ idle.popLast() }) ?? Connection(path: path)
        do {
            let result = try connection.read(itemKeys: itemKeys, day: day)
            lock.withLock {
                if idle.count < Self.maxIdle { idle.append(connection) } else { connection.close() }
            }
            return result
        } catch {
            connection.close()  // a failed connection is not reused
            throw error
        }
    }

    private final class Connection {
        let db: OpaquePointer
        private var begin: OpaquePointer?, commit: OpaquePointer?, rollback: OpaquePointer?
        private var stock: OpaquePointer?, capacity: OpaquePointer?, importRun: OpaquePointer?
        private var closed = false

        init(path: String) throws {
            var handle: OpaquePointer?
            let rc = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
            guard rc == SQLITE_OK, let handle else {
                let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
                sqlite3_close_v2(handle)
                throw StoreError.sqlite(code: rc, message: message, sql: "open \(path) read-only")
            }
            db = handle
            do {
                sqlite3_busy_timeout(db, 30_000)
                try exec("PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 1073741824;")
                begin = try prepare("BEGIN DEFERRED")
                commit = try prepare("COMMIT")
                rollback = try prepare("ROLLBACK")
                stock = try prepare(ReservationLedger.availableSQL)
                capacity = try prepare(ReservationLedger.usedCapacitySQL)
                importRun = try prepare(KeelDatabase.latestImportRunSQL)
            } catch {
                close()
                throw error
            }
        }

        func close() {
            guard !closed else { return }
            closed = true
            for s in [begin, commit, rollback, stock, capacity, importRun] { sqlite3_finalize(s) }
            sqlite3_close_v2(db)
        }

        func read(itemKeys: [Int64], day: Day) throws
            -> (stock: [SourcingSnapshot.Stock], usedCapacity: [Int64: Double], importRun: Int64?)
        {
            try stepDone(begin, "BEGIN DEFERRED")
            do {
                let out = try ReservationLedger.availability(itemKeys: itemKeys, statement: stock!, connection: db)
                var used: [Int64: Double] = [:]
                sqlite3_bind_int64(capacity, 1, Int64(day.rawValue))
                while try row(capacity, ReservationLedger.usedCapacitySQL) {
                    used[sqlite3_column_int64(capacity, 0)] = sqlite3_column_double(capacity, 1)
                }
                sqlite3_reset(capacity)
                var run: Int64?
                if try row(importRun, KeelDatabase.latestImportRunSQL), sqlite3_column_type(importRun, 0) != SQLITE_NULL {
                    run = sqlite3_column_int64(importRun, 0)
                }
                sqlite3_reset(importRun)  // every statement reset before the commit
                try stepDone(commit, "COMMIT")
                return (out, used, run)
            } catch {
                for s in [stock, capacity, importRun] { sqlite3_reset(s) }
                sqlite3_step(rollback)
                sqlite3_reset(rollback)
                throw error
            }
        }

        /// Steps `s`: true on a row, false when done.
        private func row(_ s: OpaquePointer?, _ sql: String) throws -> Bool {
            let rc = sqlite3_step(s)
            if rc == SQLITE_ROW { return true }
            if rc == SQLITE_DONE { return false }
            throw StoreError.sqlite(code: rc, message: String(cString: sqlite3_errmsg(db)), sql: sql)
        }

        private func stepDone(_ s: OpaquePointer?, _ sql: String) throws {
            defer { sqlite3_reset(s) }
            let rc = sqlite3_step(s)
            guard rc == SQLITE_DONE else { throw StoreError.sqlite(code: rc, message: String(cString: sqlite3_errmsg(db)), sql: sql) }
        }

        private func prepare(_ sql: String) throws -> OpaquePointer? {
            var s: OpaquePointer?
            let rc = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &s, nil)
            guard rc == SQLITE_OK else { throw StoreError.sqlite(code: rc, message: String(cString: sqlite3_errmsg(db)), sql: sql) }
            return s
        }

        private func exec(_ sql: String) throws {
            let rc = sqlite3_exec(db, sql, nil, nil, nil)
            guard rc == SQLITE_OK else { throw StoreError.sqlite(code: rc, message: String(cString: sqlite3_errmsg(db)), sql: sql) }
        }
    }
}
