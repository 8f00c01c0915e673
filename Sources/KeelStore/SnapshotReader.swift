import Foundation
import GRDB
import KeelCore

/// One value read from the database, for builders that summarise tables (reports, KPIs).
public enum CellValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// The value as a number (`nil` for NULL and for text that is not a number).
    public var double: Double? {
        switch self {
        case .null: return nil
        case .integer(let i): return Double(i)
        case .real(let d): return d
        case .text(let s): return Double(s)
        }
    }

    public var int: Int64? {
        switch self {
        case .integer(let i): return i
        case .real(let d): return d.rounded() == d ? Int64(d) : nil
        default: return nil
        }
    }

    public var isNull: Bool { self == .null }

    /// Text as stored; numbers in their shortest form; NULL as the empty string.
    public var description: String {
        switch self {
        case .null: return ""
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        case .text(let s): return s
        }
    }
}

/// A read-only view of one consistent snapshot of the database: every query made through it sees
/// the same committed state, even while a run writes. Not `Sendable`: use it only inside the
/// closure given to `KeelDatabase.readSnapshot`.
public struct SnapshotReader {
    let db: Database

    /// Runs a read-only query and returns every row (blobs are returned as NULL; use the typed
    /// readers for packed columns). A write statement fails: the snapshot connection is read-only.
    public func query(_ sql: String, _ arguments: [CellValue] = []) throws -> [[CellValue]] {
        let args = StatementArguments(arguments.map { v -> DatabaseValueConvertible? in
            switch v {
            case .null: return nil
            case .integer(let i): return i
            case .real(let d): return d
            case .text(let s): return s
            }
        })
        return try Row.fetchAll(db, sql: sql, arguments: args).map { row in
            (0..<row.count).map { i in
                switch row[i] as DatabaseValue {
                case let v where v.isNull: return .null
                case let v:
                    switch v.storage {
                    case .int64(let x): return .integer(x)
                    case .double(let x): return .real(x)
                    case .string(let s): return .text(s)
                    case .blob, .null: return .null
                    }
                }
            }
        }
    }

    /// The first column of the first row (`.null` when there is no row).
    public func scalar(_ sql: String, _ arguments: [CellValue] = []) throws -> CellValue {
        try query(sql, arguments).first?.first ?? .null
    }

    /// The demand history (every series, contiguous buffers).
    public func demandPanel() throws -> DemandPanel { try DemandPanel.load(db) }

    /// The runs table, newest first.
    public func runs(limit: Int) throws -> [RunRecord] { try RunLog.latest(db, limit: limit) }

    /// A forecast run: its quantile levels (in stored order) and every row with quantiles unpacked.
    /// Throws `.notFound` when `runId` is not a successful forecast run.
    public func forecastRun(_ runId: Int64) throws -> (levels: [Double], rows: [ForecastRow]) {
        guard try String.fetchOne(db, sql: "SELECT kind FROM runs WHERE run_id = ? AND status = 'succeeded'", arguments: [runId]) == "forecast" else {
            throw StoreError.notFound("no successful forecast run with id \(runId)")
        }
        let levels = try Double.fetchAll(db, sql: "SELECT level FROM forecast_levels WHERE run_id = ? ORDER BY position", arguments: [runId])
        let stmt = try RawStatement(db, "SELECT unique_id, channel, location_key, item_key, day, yhat, quantiles, model FROM forecasts WHERE run_id = ? ORDER BY rowid")
        stmt.bind(1, runId)
        var rows: [ForecastRow] = []
        while try stmt.step() {
            var q = [Double](repeating: .nan, count: levels.count)
            if !stmt.isNull(6) {
                let b = stmt.blob(6)
                guard b.count == 8 * levels.count else {
                    throw StoreError.invalid("forecast run \(runId): a quantile blob holds \(b.count / 8) values for \(levels.count) levels")
                }
                q.withUnsafeMutableBytes { $0.copyMemory(from: b) }
            }
            let channel: Channel?
            if stmt.isNull(1) { channel = nil } else {
                guard let c = Channel(rawValue: stmt.text(1) ?? "") else { throw StoreError.invalid("forecast run \(runId): unknown channel '\(stmt.text(1) ?? "")'") }
                channel = c
            }
            rows.append(ForecastRow(channel: channel, locationKey: stmt.isNull(2) ? nil : stmt.int64(2), itemKey: stmt.isNull(3) ? nil : stmt.int64(3),
                                    uniqueId: stmt.isNull(0) ? nil : stmt.text(0), day: Day(rawValue: Int32(stmt.int64(4))), yhat: stmt.double(5),
                                    quantiles: q, model: stmt.text(7) ?? ""))
        }
        return (levels, rows)
    }
}

extension KeelDatabase {
    /// Runs `body` on one read-only snapshot of the database.
    public func readSnapshot<T>(_ body: (SnapshotReader) throws -> T) throws -> T {
        try pool.read { db in try body(SnapshotReader(db: db)) }
    }
}
