import GRDB
import GRDBSQLite

/// A prepared SQLite statement driven through the C API, for hot loops (imports, packed series).
///
/// GRDB's `Statement` binds through `StatementArguments`, which allocates per call; here values
/// are bound in place. Owned: finalized in `deinit`. Not `Sendable`: use it only inside the
/// database access closure that created it.
final class RawStatement {
    let handle: OpaquePointer
    let connection: OpaquePointer
    let sql: String

    init(_ db: Database, _ sql: String) throws {
        guard let connection = db.sqliteConnection else { throw StoreError.invalid("database connection is closed") }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(connection, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw StoreError.sqlite(code: rc, message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.handle = stmt
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    @inline(__always) func bind(_ i: Int32, _ v: Int64) { sqlite3_bind_int64(handle, i, v) }
    @inline(__always) func bind(_ i: Int32, _ v: Double) { sqlite3_bind_double(handle, i, v) }
    @inline(__always) func bindNull(_ i: Int32) { sqlite3_bind_null(handle, i) }
    @inline(__always) func bind(_ i: Int32, text: UnsafeBufferPointer<UInt8>) {
        sqlite3_bind_text(handle, i, UnsafeRawPointer(text.baseAddress!).assumingMemoryBound(to: CChar.self),
                          Int32(text.count), SQLITE_TRANSIENT_DESTRUCTOR)
    }
    /// Binds bytes that stay valid until the statement is stepped and reset (no copy).
    @inline(__always) func bind(_ i: Int32, staticText text: UnsafeBufferPointer<UInt8>) {
        sqlite3_bind_text(handle, i, UnsafeRawPointer(text.baseAddress ?? UnsafePointer(emptyByte)).assumingMemoryBound(to: CChar.self),
                          Int32(text.count), nil)
    }
    func bind(_ i: Int32, _ s: String) {
        var s = s
        s.withUTF8 { bind(i, text: $0.count > 0 ? $0 : UnsafeBufferPointer(start: emptyByte, count: 0)) }
    }
    @inline(__always) func bind(_ i: Int32, blob: UnsafeRawBufferPointer) {
        sqlite3_bind_blob(handle, i, blob.baseAddress ?? UnsafeRawPointer(emptyByte), Int32(blob.count), SQLITE_TRANSIENT_DESTRUCTOR)
    }

    /// Steps once. Returns true for a row, false when done; throws with SQLite's message otherwise.
    @discardableResult
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw StoreError.sqlite(code: rc, message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }

    /// Steps once and returns SQLite's result code, without throwing (for constraint checks).
    @inline(__always) func stepCode() -> Int32 { sqlite3_step(handle) }

    @inline(__always) func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    @inline(__always) func int64(_ col: Int32) -> Int64 { sqlite3_column_int64(handle, col) }
    @inline(__always) func double(_ col: Int32) -> Double { sqlite3_column_double(handle, col) }
    @inline(__always) func isNull(_ col: Int32) -> Bool { sqlite3_column_type(handle, col) == SQLITE_NULL }
    func text(_ col: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, col) else { return nil }
        return String(cString: p)
    }
    /// The column's blob bytes, valid until the next step or reset.
    func blob(_ col: Int32) -> UnsafeRawBufferPointer {
        let n = Int(sqlite3_column_bytes(handle, col))
        guard n > 0, let p = sqlite3_column_blob(handle, col) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: p, count: n)
    }

    var errorMessage: String { String(cString: sqlite3_errmsg(connection)) }
}

nonisolated(unsafe) private let emptyByte = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
let SQLITE_TRANSIENT_DESTRUCTOR = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
