import Foundation
import KeelAnomaly
import KeelCore
import KeelDatasets
import KeelStore

// keel-bench anomaly: generate a retailer with injected anomalies, import it, run every detector,
// print per-kind precision/recall against anomalies_truth.csv (TruthScore's matching rule),
// false positives per 100,000 transactions, and the detection time with its breakdown by phase
// (shared loads, each detector, write-back), lines/s and seconds per 10M lines.

func anomalyBench() throws {
    let stores = Int(argument("--stores", "12"))!, skus = Int(argument("--skus", "400"))!
    let days = Int(argument("--days", "730"))!, seed = UInt64(argument("--seed", "42"))!
    // v3: generated with drops chosen from realized sales (`SalesDropRule`; older folders hold other data).
    let dir = argument(
        "--dir", FileManager.default.temporaryDirectory.appendingPathComponent("keel-bench-anomaly-v3-\(stores)x\(skus)x\(days)-\(seed)").path)
    let data = dir + "/data", path = dir + "/keel.sqlite"
    if !FileManager.default.fileExists(atPath: data + "/anomalies_truth.csv") {
        let t0 = ContinuousClock.now
        _ = try RetailerGenerator.generate(RetailerConfiguration(stores: stores, skus: skus, days: days, seed: seed), to: data)
        print("generated \(stores) stores × \(skus) skus × \(days) days in \(format(ContinuousClock.now - t0))")
    }
    if !FileManager.default.fileExists(atPath: path) {
        let t0 = ContinuousClock.now
        let db = try KeelDatabase(path: path)
        let report = try db.importFiles([data])
        print("imported \(report.rowsImported) rows in \(format(ContinuousClock.now - t0)) (not part of the detection time)")
    }
    let db = try KeelDatabase(path: path)
    try db.pool.write { try $0.execute(sql: "DELETE FROM anomalies") }
    let lines = try db.count("sales")
    let t0 = ContinuousClock.now
    let summary = try AnomalyDetection.run(db)
    let seconds = ContinuousClock.now - t0
    let score = try TruthScore.score(db, truthPath: data + "/anomalies_truth.csv", runId: summary.runId)
    print("\nseed \(seed): \(stores) stores, \(skus) skus, \(days) days — \(lines) sales lines, \(score.transactions) transactions")
    print(score.table(), terminator: "")
    let total = Double(seconds.components.seconds) + Double(seconds.components.attoseconds) / 1e18
    let timed = summary.seconds.filter { $0.key != "write" }.values.reduce(0, +)
    print(
        String(
            format: "detection: %.2f s for %d sales lines through every detector (%.0f lines/s, %.1f s per 10M lines; target ≤ 60 s per 10M)",
            total, lines, Double(lines) / max(total, 1e-9), total / Double(max(lines, 1)) * 1e7))
    print(String(format: "  loads and detectors %.2f s, write-back and run record %.2f s; by phase:", timed, summary.seconds["write"] ?? 0))
    for (k, v) in summary.seconds.sorted(by: { $0.value > $1.value }) {
        print("  " + k.padding(toLength: 26, withPad: " ", startingAt: 0) + String(format: "%7.2f s", v))
    }
}

func format(_ d: Duration) -> String {
    String(format: "%.1f s", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
}
