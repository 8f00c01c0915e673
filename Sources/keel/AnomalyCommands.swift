import ArgumentParser
import Foundation
import KeelAnomaly
import KeelCore
import KeelReport
import KeelStore

/// `keel anomalies [detect] | ack ID | resolve ID`.
struct AnomaliesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anomalies",
        abstract: "Run every anomaly detector, or move an anomaly through the exception queue.",
        subcommands: [Detect.self, Ack.self, Resolve.self], defaultSubcommand: Detect.self)

    struct Detect: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run every detector; writes an anomaly run (one transaction).")
        @OptionGroup var database: DatabaseOption
        @Option(name: .customLong("as-of"), help: "The as-of date (default: the latest transaction date).") var asOf: String?
        @Option(help: "Folder for the finance report (report.html and report.ipynb).") var report: String?
        @Flag(help: "Print a JSON summary.") var json = false

        func validate() throws {
            if let asOf, Day(asOf) == nil { throw ValidationError("--as-of: '\(asOf)' is not a date (YYYY-MM-DD)") }
        }

        func run() throws {
            try runCommand {
                guard FileManager.default.fileExists(atPath: database.path) else { throw CLIError.badInput("\(database.path): no such database") }
                let db = try database.open()
                let summary: AnomalyDetection.Summary
                do { summary = try AnomalyDetection.run(db, asOf: asOf.flatMap { Day($0) }) } catch let e as AnomalyError {
                    throw CLIError.badInput(e.description)
                }
                if let report {
                    let written = try ReportWriter.write(try ReportBuilder.build(db, sections: ReportBuilder.financeSections, title: "Keel finance report"), to: report)
                    if !json { print("finance report: \(written.html), \(written.notebook)") }
                }
                if json { printJSON(summary); return }
                print(
                    "anomaly run #\(summary.runId) as of \(summary.asOf): \(summary.detected) anomalies (\(summary.new) new), "
                        + String(format: "%.2f at risk", summary.amountAtRisk))
                for (k, n) in summary.byKind.sorted(by: { $0.key < $1.key }) { print("  \(k): \(n)") }
            }
        }
    }

    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Acknowledge an open anomaly.")
        @Argument(help: "The anomaly id.") var id: Int64
        @OptionGroup var database: DatabaseOption
        @Option(help: "A note kept with the status.") var note: String?
        func run() throws { try change(database, id, .acknowledged, note) }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resolve an open or acknowledged anomaly.")
        @Argument(help: "The anomaly id.") var id: Int64
        @OptionGroup var database: DatabaseOption
        @Option(help: "A note kept with the status.") var note: String?
        func run() throws { try change(database, id, .resolved, note) }
    }
}

private func change(_ database: DatabaseOption, _ id: Int64, _ to: AnomalyStatus, _ note: String?) throws {
    try runCommand {
        guard FileManager.default.fileExists(atPath: database.path) else { throw CLIError.badInput("\(database.path): no such database") }
        let db = try database.open()
        do {
            let c = try AnomalyQueue.setStatus(db, id: id, to: to, note: note)
            print("anomaly \(c.anomalyId) (\(c.kind)): \(c.from.rawValue) → \(c.to.rawValue)")
        } catch let e as AnomalyError {
            throw CLIError.badInput(e.description)
        }
    }
}
