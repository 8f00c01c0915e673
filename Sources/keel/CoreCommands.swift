import ArgumentParser
import Foundation
import KeelAnomaly
import KeelEngine
import KeelForecast
import KeelPlanning
import KeelReport
import KeelStore

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or migrate the schema (idempotent).")
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Print a JSON summary.") var json = false

    func run() throws {
        try runCommand {
            let db = try database.open()
            let applied = try db.appliedMigrations()
            if json { printJSON(["database": database.path, "migrations": applied.joined(separator: ",")]) }
            else { print("\(database.path): schema ready (\(applied.count) migrations: \(applied.joined(separator: ", ")))") }
        }
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import contract CSVs (files or folders) in one transaction.",
        discussion: "The kind comes from the file name (items.csv, sales.csv, …). A folder imports every contract file in it in dependency order. Any bad row rejects the whole invocation unless --skip-bad-rows is given.")
    @OptionGroup var database: DatabaseOption
    @Argument(help: "Contract CSV files or folders.") var paths: [String]
    @Flag(help: "Import the good rows; write rejected rows with reasons to <name>.rejected.csv beside the input.")
    var skipBadRows = false
    @Flag(help: "Print a JSON summary.") var json = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one file or folder to import") }
    }

    func run() throws {
        try runCommand {
            let db = try database.open()
            let display = ProgressDisplay()
            let report: ImportReport
            do {
                report = try db.importFiles(paths, options: ImportOptions(skipBadRows: skipBadRows, progress: display.importProgress))
            } catch {
                display.finish()
                throw error
            }
            for w in report.warnings { printWarning(w) }
            for i in report.issues { printWarning("rejected: \(i)") }
            if json { printJSON(report); return }
            for f in report.files {
                let rejected = f.rowsRejected > 0 ? ", \(f.rowsRejected) rejected → \(f.rejectedPath ?? "")" : ""
                print("\(f.kind): \(f.rowsImported) rows\(rejected)")
            }
            print(String(format: "imported %d rows in %.2fs (run #%lld); %d demand series refreshed",
                         report.rowsImported, report.seconds, report.runId, report.demandSeriesRefreshed))
            let phases = report.phases.sorted { $0.value > $1.value }.map { String(format: "%@ %.2fs", $0.key, $0.value) }
            print("phases: " + phases.joined(separator: ", "))
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export a write-back table as the contract's CSV.")
    @Argument(help: "forecasts, replenishment, transfers, sourcing or anomalies.") var kind: String
    @OptionGroup var database: DatabaseOption
    @Option(name: .customLong("run"), help: "The run to export (default: the latest successful run of that kind).") var runId: Int64?
    @Option(help: "The CSV file to write.") var output: String
    @Flag(help: "Print a JSON summary.") var json = false

    func validate() throws {
        if ExportKind(rawValue: kind) == nil {
            throw ValidationError("unknown export kind '\(kind)' (expected \(ExportKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
    }

    func run() throws {
        try runCommand {
            let db = try database.open()
            let result = try db.export(ExportKind(rawValue: kind)!, runId: runId, to: output)
            if json { printJSON(["run_id": Int(result.runId), "rows": result.rows]) }
            else { print("\(kind): \(result.rows) rows of run #\(result.runId) → \(output)") }
        }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Row counts, history range, stock and sales, and the latest runs.")
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Print a JSON summary.") var json = false

    func run() throws {
        try runCommand {
            guard FileManager.default.fileExists(atPath: database.path) else { throw CLIError.badInput("\(database.path): no such database (create it with keel init)") }
            let status = try database.open().status()
            if json { printJSON(status) } else { print(SummaryText.render(status), terminator: "") }
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Fresh database from the embedded demo retailer, then a summary and a report.")
    @Option(help: "The demo database (replaced if it is a previous demo database).") var db = "Notebooks-export/demo/demo.sqlite"
    @Option(help: "Folder for the report.") var out = "Notebooks-export/demo"
    @Option(help: "Dataset folder (default: the embedded Datasets/demo).") var data: String?
    @Flag(help: "Print a JSON summary.") var json = false

    func run() async throws {
        try await runCommand {
            let folder = try DemoDataset.locate(explicit: data)
            let display = ProgressDisplay()
            let started = Date()
            let (database, report) = try DemoDataset.buildDatabase(at: db, from: folder, options: ImportOptions(progress: display.importProgress))
            display.finish()
            // The whole nightly batch (keel run), then the summary and the report.
            let sets = try ModelSets.resolve(path: nil)
            var options = NightlyBatch.Options(candidates: ModelSets.candidates(sets, frequency: .daily),
                                               planning: try PlanningConfiguration.resolve(path: nil))
            options.medianClasses = ModelSets.medianClasses(sets, frequency: .daily)
            let batch = await NightlyBatch.run(database, options: options, event: BatchProgress.report)
            if let failed = batch.steps.first(where: { $0.status == "failed" }) {
                throw CLIError.failure("demo batch step \(failed.step.rawValue) failed: \(failed.error ?? "unknown error")")
            }
            let status = try database.status()
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let written = try DemoReport.write(status: status, importReport: report, to: out)
            let notebook = try ReportWriter.write(try ReportBuilder.build(database, sections: ReportBuilder.sections(withKPIsOf: database)), to: out)
            if json { printJSON(status); return }
            print("Keel demo: \(folder) → \(db)\n")
            print(SummaryText.render(status), terminator: "")
            print("")
            print(BatchProgress.render(batch), terminator: "")
            print(String(format: "\ndone in %.1fs; summary: %@; report: %@, %@", Date().timeIntervalSince(started), written, notebook.html, notebook.notebook))
        }
    }
}
