import Foundation
import GRDB
import KeelCore

/// The runs table: every import and every engine run, with parameters, timings and status.
///
/// A successful run's row is written in the same transaction as its results, so results and the
/// record of them commit together. A failed run is recorded afterwards in its own small
/// transaction (its results were rolled back), with the error.
public struct RunRecord: Sendable, Codable, Equatable {
    public var runId: Int64
    public var kind: String
    public var status: String
    public var startedAt: String
    public var finishedAt: String?
    public var asOf: Day?
    public var parameters: String
    public var timings: String?
    public var rowsWritten: Int?
    public var error: String?
    public var notes: String?

    public var seconds: Double? {
        guard let finishedAt, let a = RunLog.parse(startedAt), let b = RunLog.parse(finishedAt) else { return nil }
        return b.timeIntervalSince(a)
    }
}

extension Day: Codable {
    public init(from decoder: Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let d = Day(s) else { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(s)")) }
        self = d
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

public enum RunLog {
    nonisolated(unsafe) static let formatter: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()
    static let lock = NSLock()

    public static func now() -> String { lock.withLock { formatter.string(from: Date()) } }
    static func parse(_ s: String) -> Date? { lock.withLock { formatter.date(from: s) } }

    /// JSON text of an encodable value with sorted keys (stable across runs).
    public static func json<T: Encodable>(_ value: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return (try? e.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Inserts a finished run and returns its id.
    @discardableResult
    public static func record(_ db: Database, kind: String, status: String, startedAt: String, asOf: Day?,
                              parameters: String, timings: String?, rowsWritten: Int?, error: String?) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO runs(kind, status, started_at, finished_at, as_of, parameters, timings, rows_written, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [kind, status, startedAt, now(), asOf.map { Int($0.rawValue) }, parameters, timings, rowsWritten, error])
        return db.lastInsertedRowID
    }

    /// The latest runs, newest first.
    public static func latest(_ db: Database, limit: Int = 10, kind: String? = nil) throws -> [RunRecord] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT run_id, kind, status, started_at, finished_at, as_of, parameters, timings, rows_written, error, notes
            FROM runs \(kind == nil ? "" : "WHERE kind = ?") ORDER BY run_id DESC LIMIT ?
            """, arguments: kind.map { [$0, limit] } ?? [limit])
        return rows.map { r in
            RunRecord(runId: r[0], kind: r[1], status: r[2], startedAt: r[3], finishedAt: r[4],
                      asOf: (r[5] as Int?).map { Day(rawValue: Int32($0)) }, parameters: r[6], timings: r[7],
                      rowsWritten: r[8], error: r[9], notes: r[10])
        }
    }
}

extension KeelDatabase {
    /// The id of the latest successful import run (nil before the first import): the network
    /// version the HTTP API's sourcing service is built at.
    public func latestImportRun() throws -> Int64? {
        try pool.read { try Self.latestImportRun($0) }
    }

    static let latestImportRunSQL = "SELECT MAX(run_id) FROM runs WHERE kind = 'import' AND status = 'succeeded'"

    public static func latestImportRun(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(try db.cachedStatement(sql: latestImportRunSQL))
    }
}
