import Foundation
import GRDB
import KeelCore
import KeelStore

/// Precision and recall of the anomalies in a database against a generator's
/// `anomalies_truth.csv`.
///
/// Matching rule: a detected anomaly matches a truth row when the kinds are equal and every
/// evidence field the truth row fills (transaction_id, return_id, settlement_id, location_id,
/// sku, date, channel, category, cashier_id, customer_id) is equal in the detection; fields the
/// truth row leaves empty are not compared. Precision = detections matching some truth row /
/// detections; recall = truth rows matched by some detection / truth rows.
public struct TruthScore: Sendable, Codable {
    public struct Line: Sendable, Codable {
        public var kind: String
        public var truth: Int
        public var detected: Int
        public var truePositives: Int
        public var truthMatched: Int
        public var precision: Double { detected > 0 ? Double(truePositives) / Double(detected) : .nan }
        public var recall: Double { truth > 0 ? Double(truthMatched) / Double(truth) : .nan }
        public var falsePositives: Int { detected - truePositives }
    }
    public var lines: [Line]
    public var transactions: Int

    static let fields = [
        "transaction_id", "return_id", "settlement_id", "location_id", "sku", "date", "channel", "category", "cashier_id", "customer_id",
    ]

    /// Scores the anomalies of `runId` (default: every anomaly in the table).
    public static func score(_ database: KeelDatabase, truthPath: String, runId: Int64? = nil) throws -> TruthScore {
        guard let text = try? String(contentsOfFile: truthPath, encoding: .utf8) else { throw AnomalyError.badInput("\(truthPath): cannot read") }
        var rows = text.split(whereSeparator: \.isNewline).map { parseCSVLine(String($0)) }
        guard !rows.isEmpty else { throw AnomalyError.badInput("\(truthPath): empty") }
        let header = rows.removeFirst()
        guard let kindColumn = header.firstIndex(of: "kind") else { throw AnomalyError.badInput("\(truthPath):1: no kind column") }
        let columns = fields.map { header.firstIndex(of: $0) }
        var truth: [String: [[(Int, String)]]] = [:]
        for r in rows where r.count == header.count {
            var key: [(Int, String)] = []
            for (f, c) in columns.enumerated() { if let c, !r[c].isEmpty { key.append((f, r[c])) } }
            truth[r[kindColumn], default: []].append(key)
        }
        return try database.pool.read { db in
            var detected: [String: [[String]]] = [:]
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT a.kind, IFNULL(a.transaction_id, ''), IFNULL(a.return_id, ''), IFNULL(a.settlement_id, ''), IFNULL(l.location_id, ''),
                           IFNULL(i.sku, ''), IFNULL(date(a.day * 86400, 'unixepoch'), ''), IFNULL(a.channel, ''), IFNULL(a.category, ''),
                           IFNULL(a.cashier_id, ''), IFNULL(a.customer_id, '')
                    FROM anomalies a LEFT JOIN locations l ON l.location_key = a.location_key LEFT JOIN items i ON i.item_key = a.item_key
                    WHERE ?1 IS NULL OR a.run_id = ?1
                    """, arguments: [runId])
            while let r = try cursor.next() { detected[r[0], default: []].append((1...10).map { r[$0] }) }
            let transactions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT DISTINCT transaction_id FROM sales)") ?? 0
            var lines: [Line] = []
            for kind in Set(truth.keys).union(detected.keys).sorted() {
                let t = truth[kind] ?? [], d = detected[kind] ?? []
                var matched = Array(repeating: false, count: t.count)
                var tp = 0
                for det in d {
                    var hit = false
                    for (i, key) in t.enumerated() where key.allSatisfy({ det[$0.0] == $0.1 }) { matched[i] = true; hit = true }
                    if hit { tp += 1 }
                }
                lines.append(Line(kind: kind, truth: t.count, detected: d.count, truePositives: tp, truthMatched: matched.filter { $0 }.count))
            }
            return TruthScore(lines: lines, transactions: transactions)
        }
    }

    /// The table printed by `make bench-anomaly`.
    public func table() -> String {
        func f(_ x: Double) -> String { x.isNaN ? "    -" : String(format: "%5.3f", x) }
        var out = "kind                      truth  found     TP  precision  recall  FP/100k txn\n"
        for l in lines {
            out +=
                l.kind.padding(toLength: 24, withPad: " ", startingAt: 0)
                + String(format: " %6d %6d %6d      ", l.truth, l.detected, l.truePositives)
                + f(l.precision) + "   " + f(l.recall)
                + String(format: " %12.2f\n", Double(l.falsePositives) * 100_000 / Double(max(transactions, 1)))
        }
        return out
    }
}

/// One CSV record (RFC 4180 quotes) from one line.
func parseCSVLine(_ line: String) -> [String] {
    var out: [String] = [], field = "", quoted = false
    var chars = Array(line).makeIterator()
    while let ch = chars.next() {
        if quoted {
            if ch == "\"" { quoted = false } else { field.append(ch) }
        } else if ch == "\"" {
            if field.last == "\"" || (!field.isEmpty) { field.append(ch) }
            quoted = true
        } else if ch == "," {
            out.append(field); field = ""
        } else {
            field.append(ch)
        }
    }
    out.append(field)
    return out
}
