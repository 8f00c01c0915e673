import ArgumentParser
import Foundation
import KeelCore
import KeelKPI

struct KPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kpis",
        abstract: "The retailer's KPIs: order fill, cancellations, inventory accuracy, returns, fulfilment cost, margins, forecast accuracy, open anomalies.",
        discussion: "Rates cover the 28 days ending on the as-of date (default: the latest sales or returns day). A KPI whose source has no run yet prints n/a with the reason (null with a reason in --json).")
    @OptionGroup var database: DatabaseOption
    @Option(help: "The window's last day YYYY-MM-DD (default: the latest transaction day).") var asOf: String?
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        if let asOf, Day(asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD (got '\(asOf)')") }
    }

    func run() throws {
        try runCommand {
            guard FileManager.default.fileExists(atPath: database.path) else { throw CLIError.badInput("\(database.path): no such database") }
            let report = try KPIReport.compute(try database.open(), asOf: asOf.flatMap { Day($0) })
            print(json ? try report.jsonText() : report.text())
        }
    }
}
