import Foundation
import GRDB
import KeelCore
import KeelDatasets
import KeelStore

// keel-bench: release-build benchmarks of the operational core.
//   keel-bench demand-load [--series 30490] [--days 1941] [--db PATH]
// Builds an M5-sized packed demand history (30,490 series × 1,941 days, about half the days zero),
// then times loading every series into memory (DemandPanel.load) and prints it beside the target.

func argument(_ name: String, _ fallback: String) -> String {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
    return fallback
}

func residentPeakMiB() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
    return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}

func demandLoad() throws {
    let seriesCount = Int(argument("--series", "30490"))!
    let days = Int(argument("--days", "1941"))!
    let path = argument("--db", FileManager.default.temporaryDirectory.appendingPathComponent("keel-bench-m5-\(seriesCount)x\(days).sqlite").path)
    let stores = 10
    let items = (seriesCount + stores - 1) / stores
    if !FileManager.default.fileExists(atPath: path) {
        print("building \(seriesCount) series × \(days) days in \(path) …")
        let t0 = ContinuousClock.now
        let db = try KeelDatabase(path: path)
        try db.pool.write { d in
            for s in 0..<stores {
                try d.execute(sql: "INSERT INTO locations(location_id, type, latitude, longitude, can_ship_to_customer, can_pickup) VALUES (?, 'store', 0, 0, 0, 1)", arguments: ["S\(s)"])
            }
            for i in 0..<items {
                try d.execute(sql: "INSERT INTO items(sku, category, department, unit_cost, unit_price) VALUES (?, 'C', 'D', 1, 2)", arguments: ["SKU\(i)"])
            }
            var rng = SeededRandom(seed: 5)
            let start = Day("2011-01-29")!
            var units = [Float](repeating: 0, count: days), price = [Float](repeating: 0, count: days), flags = [UInt8](repeating: 0, count: days)
            for k in 0..<seriesCount {
                let rate = exp(rng.normal() - 0.3)
                for t in 0..<days {
                    let u = Float(rng.poisson(rate))
                    units[t] = u
                    price[t] = u > 0 ? 9.99 : .nan
                    flags[t] = rng.chance(0.02) ? DemandHistory.stockoutFlag : 0
                }
                try DemandHistory.writeSeries(d, channel: .store, locationKey: Int64(k % stores + 1), itemKey: Int64(k / stores + 1),
                                              start: start, units: units, price: price, flags: flags)
            }
        }
        print(String(format: "built in %.1fs", (ContinuousClock.now - t0).seconds))
    }
    let db = try KeelDatabase(path: path)
    var best = Double.infinity
    var panel = DemandPanel()
    for _ in 0..<3 {
        let t = ContinuousClock.now
        panel = try db.pool.read { try DemandPanel.load($0) }
        best = min(best, (ContinuousClock.now - t).seconds)
    }
    let zeros = panel.units.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
    print("")
    print("demand history load (M5-sized)        series     series-days   zero share   best of 3   target")
    print(String(format: "  Keel DemandPanel.load        %12d  %14d   %9.1f%%   %8.2fs   ≤ 5.00s  %@",
                 panel.count, panel.units.count, 100 * Double(zeros) / Double(max(1, panel.units.count)), best, best <= 5 ? "PASS" : "FAIL"))
    print(String(format: "  peak resident memory %.0f MiB", residentPeakMiB()))
}

do {
    switch CommandLine.arguments.dropFirst().first {
    case "demand-load": try demandLoad()
    case "plan-network": try planNetwork()
    case "transfer-lp": try transferLP()
    case "anomaly": try anomalyBench()
    case "retailer":
        // A generated retailer for the benchmark scripts, with options `keel datasets generate`
        // does not offer (the HTTP benchmark needs every store shipping to customers).
        var config = RetailerConfiguration(
            stores: Int(argument("--stores", "12"))!, dcs: Int(argument("--dcs", "2"))!, skus: Int(argument("--skus", "400"))!,
            days: Int(argument("--days", "730"))!, seed: UInt64(argument("--seed", "42"))!)
        config.shipFromEveryStore = CommandLine.arguments.contains("--ship-from-every-store")
        let summary = try RetailerGenerator.generate(config, to: argument("--out", "retailer"))
        print("generated \(summary.files.reduce(0) { $0 + $1.rows }) rows in \(summary.files.count) files")
    default:
        print("usage: keel-bench demand-load [--series N] [--days N] [--db PATH]")
        print("       keel-bench plan-network [--stores N] [--items N] | transfer-lp [--items N]")
        print("       keel-bench anomaly [--stores N] [--skus N] [--days N] [--seed S] [--dir PATH]")
        print("       keel-bench retailer --out DIR [--stores N] [--dcs N] [--skus N] [--days N] [--seed S] [--ship-from-every-store]")
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("keel-bench: error: \(error)\n".utf8))
    exit(1)
}
