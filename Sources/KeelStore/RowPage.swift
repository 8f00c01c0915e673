import GRDB
import KeelCore

/// One JSON-ready cell of a row the HTTP API returns.
public enum APICell: Sendable, Equatable, Encodable {
    case text(String), int(Int64), number(Double), bool(Bool), null

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .text(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        case .number(let d): try c.encode(d)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        }
    }
}

/// A page of write-back rows (plans, forecasts, anomalies): the run they come from (when one
/// run), the total matching the filters, and the rows as column → value.
public struct RowPage: Sendable, Encodable {
    public var runId: Int64?
    public var total: Int
    public var limit: Int
    public var offset: Int
    public var rows: [[String: APICell]]

    enum CodingKeys: String, CodingKey { case runId = "run_id", total, limit, offset, rows }
}

/// Filters and paging for `KeelDatabase.planPage` and `anomalyPage`.
public struct RowFilter: Sendable {
    public var locationId: String?
    public var sku: String?
    public var status: String?
    public var kind: String?
    public var limit: Int
    public var offset: Int
    public init(locationId: String? = nil, sku: String? = nil, status: String? = nil, kind: String? = nil, limit: Int, offset: Int) {
        self.locationId = locationId; self.sku = sku; self.status = status; self.kind = kind; self.limit = limit; self.offset = offset
    }
}

/// Available-to-sell of one sku at one node (`v_available_to_sell`).
public struct NodeAvailability: Sendable, Codable, Equatable {
    public var locationId: String
    public var locationType: String
    public var onHand: Double
    public var reserved: Double
    public var damaged: Double
    public var inTransit: Double
    public var availableToSell: Double
    public var asOf: String

    enum CodingKeys: String, CodingKey {
        case locationId = "location_id", locationType = "location_type", onHand = "on_hand", reserved, damaged
        case inTransit = "in_transit", availableToSell = "available_to_sell", asOf = "as_of"
    }
}

extension KeelDatabase {
    /// Available-to-sell of `sku` at every node holding a position, by location id.
    /// Throws `.notFound` for an unknown sku.
    public func availability(sku: String) throws -> [NodeAvailability] {
        try pool.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM items WHERE sku = ?)", arguments: [sku]) == true else {
                throw StoreError.notFound("unknown sku '\(sku)'")
            }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT location_id, location_type, on_hand, reserved, damaged, in_transit, available_to_sell, as_of
                    FROM v_available_to_sell WHERE sku = ? ORDER BY location_id
                    """, arguments: [sku]
            ).map {
                NodeAvailability(
                    locationId: $0[0], locationType: $0[1], onHand: $0[2], reserved: $0[3], damaged: $0[4], inTransit: $0[5],
                    availableToSell: $0[6], asOf: $0[7] ?? "")
            }
        }
    }

    /// Rows of the latest successful run of `kind` (`forecasts`, `replenishment`, `transfers`,
    /// `sourcing`), filtered and paged, in the order written; forecast rows add the run's
    /// quantile columns (`q0.5`, `q0.9`, … as in the contract's forecasts export, null where a
    /// row has none). Throws `.notFound` when there is no
    /// such run and `.invalid` for a filter the kind does not have (sku on sourcing rows).
    public func planPage(_ kind: ExportKind, filter: RowFilter) throws -> RowPage {
        guard kind != .anomalies else { throw StoreError.invalid("anomalies are not a plan kind") }
        let table = WriteBackTable.of(kind)
        let columns = table.columns, from = table.from, locationColumns = table.locationColumns, skuColumn = table.skuColumn
        return try pool.read { db in
            guard let run = try Int64.fetchOne(db, sql: "SELECT MAX(run_id) FROM runs WHERE kind = ? AND status = 'succeeded'", arguments: [kind.runKind]) else {
                throw StoreError.notFound("no successful \(kind.runKind) run in the database yet")
            }
            var conditions = ["t.run_id = ?"]
            var arguments: [(any DatabaseValueConvertible)?] = [run]
            if let loc = filter.locationId {
                conditions.append("(" + locationColumns.map { "\($0) = ?" }.joined(separator: " OR ") + ")")
                for _ in locationColumns { arguments.append(loc) }
            }
            if let sku = filter.sku {
                guard let skuColumn else { throw StoreError.invalid("sku: \(kind.rawValue) rows cannot be filtered by sku") }
                conditions.append("\(skuColumn) = ?")
                arguments.append(sku)
            }
            let whereSQL = conditions.joined(separator: " AND ")
            // Forecast rows carry the run's quantiles (packed Float64 in level order) as q{level}
            // columns, named as in the contract's forecasts export (q0.5, q0.9, …).
            let quantileNames: [String]
            if kind == .forecasts {
                quantileNames = try Double.fetchAll(
                    db, sql: "SELECT level FROM forecast_levels WHERE run_id = ? ORDER BY position", arguments: [run]
                ).map { "q" + CSVWriter.decimalText($0) }
            } else {
                quantileNames = []
            }
            let selected = columns.map(\.1) + (quantileNames.isEmpty ? [] : ["t.quantiles"])
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(from) WHERE \(whereSQL)", arguments: StatementArguments(arguments)!) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT \(selected.joined(separator: ", ")) FROM \(from) WHERE \(whereSQL) ORDER BY t.rowid LIMIT ? OFFSET ?",
                arguments: StatementArguments(arguments + [filter.limit, filter.offset])!)
            return RowPage(
                runId: run, total: total, limit: filter.limit, offset: filter.offset,
                rows: rows.map { row in
                    var out: [String: APICell] = [:]
                    for (i, c) in columns.enumerated() {
                        let v = row[i] as DatabaseValue
                        if v.isNull { out[c.0] = .null; continue }
                        switch c.2 {
                        case .text: out[c.0] = .text(String.fromDatabaseValue(v) ?? "")
                        case .int: out[c.0] = .int(Int64.fromDatabaseValue(v) ?? 0)
                        case .number, .money: out[c.0] = .number(Double.fromDatabaseValue(v) ?? 0)
                        case .day: out[c.0] = .text(Day(rawValue: Int32(Int64.fromDatabaseValue(v) ?? 0)).description)
                        case .bool: out[c.0] = .bool((Int64.fromDatabaseValue(v) ?? 0) != 0)
                        }
                    }
                    if !quantileNames.isEmpty {
                        let blob = (row[columns.count] as DatabaseValue).storage
                        let bytes: [UInt8]
                        if case .blob(let data) = blob { bytes = [UInt8](data) } else { bytes = [] }
                        for (k, name) in quantileNames.enumerated() {
                            out[name] =
                                bytes.count >= (k + 1) * 8
                                ? .number(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: k * 8, as: Double.self) }) : .null
                        }
                    }
                    return out
                })
        }
    }

    /// Anomalies of every run, newest first, filtered by status and kind, paged.
    public func anomalyPage(filter: RowFilter) throws -> RowPage {
        try pool.read { db in
            var conditions = ["1"]
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let s = filter.status { conditions.append("t.status = ?"); arguments.append(s) }
            if let k = filter.kind { conditions.append("t.kind = ?"); arguments.append(k) }
            let whereSQL = conditions.joined(separator: " AND ")
            let from = "anomalies t LEFT JOIN locations l ON l.location_key = t.location_key LEFT JOIN items i ON i.item_key = t.item_key"
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(from) WHERE \(whereSQL)", arguments: StatementArguments(arguments)!) ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT t.anomaly_id, t.run_id, t.kind, t.severity, t.score, t.amount_at_risk, t.transaction_id, t.return_id,
                           t.settlement_id, l.location_id, i.sku, t.channel, t.day, t.explanation, t.status, t.status_note
                    FROM \(from) WHERE \(whereSQL) ORDER BY t.anomaly_id DESC LIMIT ? OFFSET ?
                    """, arguments: StatementArguments(arguments + [filter.limit, filter.offset])!)
            let names = ["anomaly_id", "run_id", "kind", "severity", "score", "amount_at_risk", "transaction_id", "return_id",
                         "settlement_id", "location_id", "sku", "channel", "date", "explanation", "status", "note"]
            return RowPage(
                runId: nil, total: total, limit: filter.limit, offset: filter.offset,
                rows: rows.map { row in
                    var out: [String: APICell] = [:]
                    for (i, name) in names.enumerated() {
                        let v = row[i] as DatabaseValue
                        switch v.storage {
                        case .null: out[name] = .null
                        case .int64(let x): out[name] = name == "date" ? .text(Day(rawValue: Int32(x)).description) : .int(x)
                        case .double(let x): out[name] = .number(x)
                        case .string(let s): out[name] = .text(s)
                        case .blob: out[name] = .null
                        }
                    }
                    return out
                })
        }
    }
}
