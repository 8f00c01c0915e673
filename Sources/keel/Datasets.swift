import ArgumentParser
import Foundation
import KeelCore
import KeelDatasets

struct Datasets: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Datasets: the synthetic retailer generator.", subcommands: [Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a synthetic retailer as contract CSVs, plus anomalies_truth.csv naming every injected anomaly.",
            discussion: "Same seed, same files (byte for byte).")
        @Option(help: "Output folder.") var out: String
        @Option(help: "Number of stores.") var stores = 12
        @Option(help: "Number of distribution centres.") var dcs = 2
        @Option(help: "Number of SKUs.") var skus = 400
        @Option(help: "Days of history.") var days = 730
        @Option(help: "Random seed.") var seed: UInt64 = 42
        @Option(help: "First day of history (YYYY-MM-DD).") var start = "2024-01-01"
        @Flag(help: "Do not inject anomalies (and write no anomalies_truth.csv).") var noAnomalies = false
        @Flag(help: "Print a JSON summary.") var json = false

        func validate() throws {
            if stores < 1 || dcs < 1 { throw ValidationError("--stores and --dcs must be at least 1") }
            if skus < 10 { throw ValidationError("--skus must be at least 10") }
            if days < 28 { throw ValidationError("--days must be at least 28") }
            if Day(start) == nil { throw ValidationError("--start must be a date YYYY-MM-DD") }
        }

        func run() throws {
            try runCommand {
                var config = RetailerConfiguration(stores: stores, dcs: dcs, skus: skus, days: days, seed: seed)
                config.startDate = Day(start)!
                config.anomalies = !noAnomalies
                let display = ProgressDisplay()
                let summary = try RetailerGenerator.generate(config, to: out) { display.fraction("generate", $0) }
                display.finish()
                if json {
                    printJSON(["files": Dictionary(uniqueKeysWithValues: summary.files.map { ($0.name, $0.rows) }),
                               "anomalies": summary.injectedAnomalies])
                    return
                }
                for f in summary.files { print("\(f.name): \(f.rows) rows") }
                let injected = summary.injectedAnomalies.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                if !injected.isEmpty { print("injected anomalies: " + injected.joined(separator: ", ")) }
                print("→ \(out)")
            }
        }
    }
}
