import Foundation
import GRDB
import KeelCore
import KeelStore

/// Runs every detector as one transaction recorded in `runs` (kind `anomalies`).
///
/// Write-back: each finding is inserted by its fingerprint. A fingerprint already in the table
/// (found by an earlier run) is refreshed — `run_id` becomes this run, score, severity, money and
/// explanation are recomputed — while its `anomaly_id`, `status`, `status_note` and
/// `status_changed_at` stay as they were. So the anomalies of a run (what `keel export anomalies`
/// writes) are every anomaly that run detected, and a re-run neither duplicates an anomaly nor
/// reopens one that finance has acknowledged or resolved.
public enum AnomalyDetection {
    public static let runKind = "anomalies"

    public struct Summary: Sendable, Codable, Equatable {
        public var runId: Int64
        public var asOf: Day
        /// Findings this run (new plus refreshed).
        public var detected: Int
        /// Of those, anomalies not seen by an earlier run.
        public var new: Int
        public var byKind: [String: Int]
        public var amountAtRisk: Double
        public var seconds: [String: Double]
    }

    static let detectors: [any AnomalyDetector.Type] = [
        PricingDetector.self, ChannelPriceDetector.self, RefundDetector.self, ReturnRateDetector.self,
        DemandDetector.self, InventoryDetector.self, SettlementDetector.self, MarginDetector.self,
    ]

    /// The as-of day: `asOf` if given, else the latest transaction date (sales or returns).
    public static func resolveAsOf(_ db: Database, _ asOf: Day?) throws -> Day {
        if let asOf { return asOf }
        guard let d = try Int.fetchOne(db, sql: "SELECT MAX(d) FROM (SELECT MAX(day) AS d FROM sales UNION ALL SELECT MAX(day) FROM returns)") else {
            throw AnomalyError.noTransactions
        }
        return Day(rawValue: Int32(d))
    }

    /// Detects, writes and records the run. A failure rolls everything back and records a failed run.
    public static func run(_ database: KeelDatabase, asOf: Day? = nil, configuration: AnomalyConfiguration = AnomalyConfiguration()) throws -> Summary
    {
        let started = RunLog.now()
        let parameters = RunLog.json(Parameters(asOf: asOf?.description ?? "latest", configuration: configuration))
        do {
            return try database.pool.write { db in
                let day = try resolveAsOf(db, asOf)
                let wanted = Set(configuration.kinds)
                let running = detectors.filter { $0.kinds.contains(where: wanted.contains) }
                let inputs = running.reduce(DetectionInputs()) { $0.union($1.inputs) }
                let context = try DetectionContext(db: db, asOf: day, configuration: configuration, inputs: inputs)
                var findings: [AnomalyFinding] = []
                var seconds: [String: Double] = context.loadSeconds
                for d in running {
                    let t0 = ContinuousClock.now
                    var found: [AnomalyFinding] = []
                    try d.detect(context, into: &found)
                    findings += found.filter { wanted.contains($0.kind) }
                    seconds[String(describing: d)] = (ContinuousClock.now - t0).seconds
                }
                let t0 = ContinuousClock.now
                let runId = try RunLog.record(
                    db, kind: runKind, status: "succeeded", startedAt: started, asOf: day,
                    parameters: parameters, timings: nil, rowsWritten: nil, error: nil)
                let new = try write(db, findings, runId: runId)
                seconds["write"] = (ContinuousClock.now - t0).seconds
                try db.execute(
                    sql: "UPDATE runs SET timings = ?, rows_written = ?, finished_at = ? WHERE run_id = ?",
                    arguments: [RunLog.json(seconds), findings.count, RunLog.now(), runId])
                var byKind: [String: Int] = [:]
                for f in findings { byKind[f.kind.rawValue, default: 0] += 1 }
                return Summary(
                    runId: runId, asOf: day, detected: findings.count, new: new, byKind: byKind,
                    amountAtRisk: findings.reduce(0) { $0 + $1.amountAtRisk }, seconds: seconds)
            }
        } catch {
            try? database.pool.write { db in
                _ = try RunLog.record(
                    db, kind: runKind, status: "failed", startedAt: started, asOf: asOf, parameters: parameters,
                    timings: nil, rowsWritten: 0, error: String(String(describing: error).prefix(4000)))
            }
            throw error
        }
    }

    struct Parameters: Encodable {
        var asOf: String
        var configuration: AnomalyConfiguration
    }

    /// Upserts by fingerprint; returns how many were new.
    static func write(_ db: Database, _ findings: [AnomalyFinding], runId: Int64) throws -> Int {
        let before = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM anomalies") ?? 0
        let statement = try db.makeStatement(
            sql: """
                INSERT INTO anomalies(run_id, kind, severity, score, amount_at_risk, transaction_id, return_id, settlement_id,
                  location_key, item_key, channel, category, cashier_id, customer_id, day, explanation, fingerprint)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(fingerprint) DO UPDATE SET run_id = excluded.run_id, severity = excluded.severity, score = excluded.score,
                  amount_at_risk = excluded.amount_at_risk, explanation = excluded.explanation
                """)
        for f in findings {
            try statement.execute(arguments: [
                runId, f.kind.rawValue, f.severity.rawValue, f.score.isFinite ? f.score : 0, (f.amountAtRisk * 100).rounded() / 100,
                f.transactionId, f.returnId, f.settlementId, f.locationKey, f.itemKey, f.channel, f.category,
                f.cashierId, f.customerId, f.day.map { Int($0.rawValue) }, f.explanation, f.fingerprint,
            ])
        }
        let after = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM anomalies") ?? 0
        return after - before
    }
}

/// The anomaly layer's error: bad input (exit 2 in the CLI) or an unknown/illegal queue change.
public enum AnomalyError: Error, CustomStringConvertible, Equatable {
    case noTransactions
    case unknownAnomaly(Int64)
    case illegalTransition(id: Int64, from: String, to: String)
    case badInput(String)

    public var description: String {
        switch self {
        case .noTransactions: return "the database has no sales or returns: nothing to check (import some first)"
        case .unknownAnomaly(let id): return "no anomaly with id \(id)"
        case .illegalTransition(let id, let from, let to):
            return "anomaly \(id) is \(from): it cannot become \(to) (allowed: open → acknowledged → resolved, open → resolved)"
        case .badInput(let m): return m
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
