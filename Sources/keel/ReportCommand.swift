import ArgumentParser
import Foundation
import KeelReport
import KeelStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write report.ipynb and report.html: runs, forecasts against actuals, accuracy, inventory, plans, sourcing, anomalies.")
    @OptionGroup var database: DatabaseOption
    @Option(name: .customLong("run"), help: "The forecast run to show (default: the latest successful forecast run).") var runId: Int64?
    @Option(help: "The folder to write report.ipynb and report.html into.") var out: String
    @Flag(help: "Print a JSON summary.") var json = false

    func run() throws {
        try runCommand {
            guard FileManager.default.fileExists(atPath: database.path) else { throw CLIError.badInput("\(database.path): no such database") }
            let started = Date()
            let db = try database.open()
            let doc = try ReportBuilder.build(db, options: ReportOptions(forecastRunId: runId), sections: ReportBuilder.sections(withKPIsOf: db))
            let written = try ReportWriter.write(doc, to: out)
            let seconds = Date().timeIntervalSince(started)
            if json {
                printJSON(["html": written.html, "notebook": written.notebook, "sections": "\(written.sections)", "charts": "\(written.charts)",
                           "seconds": String(format: "%.2f", seconds)])
            } else {
                print(String(format: "report: %d sections, %d charts → %@, %@ (%.2fs)", written.sections, written.charts, written.html, written.notebook, seconds))
            }
        }
    }
}
