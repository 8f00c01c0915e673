import GRDB
import KeelCore

/// Writes a write-back table as the contract's CSV (data-contract.md, "What Keel writes back").
public enum ExportKind: String, CaseIterable, Sendable {
    case forecasts, replenishment, transfers, sourcing, anomalies

    /// The run kind that produces this export.
    public var runKind: String {
        switch self {
        case .forecasts: return "forecast"
        case .replenishment: return "replenishment"
        case .transfers: return "transfers"
        case .sourcing: return "sourcing"
        case .anomalies: return "anomalies"
        }
    }
}

public struct ExportResult: Sendable {
    public var runId: Int64
    public var rows: Int
    public var path: String
}

extension KeelDatabase {
    /// Exports `kind` from run `runId` (default: the latest successful run of that kind).
    /// Throws `.notFound` when no such run exists.
    public func export(_ kind: ExportKind, runId: Int64? = nil, to path: String) throws -> ExportResult {
        try pool.read { db in
            let run: Int64
            if let runId {
                guard let k = try String.fetchOne(db, sql: "SELECT kind FROM runs WHERE run_id = ? AND status = 'succeeded'", arguments: [runId]) else {
                    throw StoreError.notFound("no successful run with id \(runId)")
                }
                guard k == kind.runKind else { throw StoreError.invalid("run \(runId) is a \(k) run, not a \(kind.runKind) run") }
                run = runId
            } else {
                guard let latest = try Int64.fetchOne(db, sql: "SELECT MAX(run_id) FROM runs WHERE kind = ? AND status = 'succeeded'", arguments: [kind.runKind]) else {
                    throw StoreError.notFound("no successful \(kind.runKind) run in the database yet: nothing to export")
                }
                run = latest
            }
            return ExportResult(runId: run, rows: try exportTable(db, kind, run: run, path: path), path: path)
        }
    }

    private func exportForecasts(_ db: Database, run: Int64, path: String) throws -> Int {
        let levels = try Double.fetchAll(db, sql: "SELECT level FROM forecast_levels WHERE run_id = ? ORDER BY position", arguments: [run])
        let byUniqueId = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM forecasts WHERE run_id = ? AND unique_id IS NOT NULL)", arguments: [run]) ?? false
        let header = ["run_id"] + (byUniqueId ? ["unique_id"] : ["channel", "location_id", "sku"]) + ["ds", "yhat"]
            + levels.map { "q" + CSVWriter.decimalText($0) } + ["model"]
        let w = try CSVWriter(path: path, header: header)
        let stmt = try RawStatement(db, """
            SELECT f.unique_id, f.channel, l.location_id, i.sku, f.day, f.yhat, f.quantiles, f.model
            FROM forecasts f LEFT JOIN locations l ON l.location_key = f.location_key LEFT JOIN items i ON i.item_key = f.item_key
            WHERE f.run_id = ? ORDER BY f.rowid
            """)
        stmt.bind(1, run)
        var n = 0
        while try stmt.step() {
            w.field(Int(run))
            if byUniqueId { w.field(stmt.text(0)) } else { w.field(stmt.text(1)); w.field(stmt.text(2)); w.field(stmt.text(3)) }
            w.field(Day(rawValue: Int32(stmt.int64(4))))
            w.field(stmt.double(5), decimals: 4)
            let q = stmt.blob(6)
            for k in 0..<levels.count {
                if q.count >= (k + 1) * 8 { w.field(q.loadUnaligned(fromByteOffset: k * 8, as: Double.self), decimals: 4) } else { w.null() }
            }
            w.field(stmt.text(7))
            w.endRow()
            n += 1
        }
        try w.close()
        return n
    }

    private func exportTable(_ db: Database, _ kind: ExportKind, run: Int64, path: String) throws -> Int {
        // Quantile columns of forecasts depend on the run's levels.
        if kind == .forecasts { return try exportForecasts(db, run: run, path: path) }
        let table = WriteBackTable.of(kind)
        let columns = table.columns, from = table.from
        let w = try CSVWriter(path: path, header: ["run_id"] + columns.map(\.0))
        let stmt = try RawStatement(db, "SELECT \(columns.map(\.1).joined(separator: ", ")) FROM \(from) WHERE t.run_id = ? ORDER BY t.rowid")
        stmt.bind(1, run)
        var n = 0
        while try stmt.step() {
            w.field(Int(run))
            for (i, c) in columns.enumerated() {
                let col = Int32(i)
                if stmt.isNull(col) { w.null(); continue }
                switch c.2 {
                case .text: w.field(stmt.text(col))
                case .int: w.field(Int(stmt.int64(col)))
                case .money: w.field(stmt.double(col), decimals: 2)
                case .number: w.field(stmt.double(col), decimals: 4)
                case .day: w.field(Day(rawValue: Int32(stmt.int64(col))))
                case .bool: w.field(stmt.int64(col) != 0)
                }
            }
            w.endRow()
            n += 1
        }
        try w.close()
        return n
    }
}
