import ArgumentParser
import Foundation
import KeelCore
import KeelSourcing

struct Route: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Source every open order jointly; writes a sourcing run.",
        discussion:
            "Ships on the as-of date (default: the latest transaction date). Reports total cost (shipping + handling, plus the amounts of any signal switched on), the lower bound on the penalised objective and the gap. Export the rows with `keel export sourcing`. Every signal is off by default."
    )
    @OptionGroup var database: DatabaseOption
    @Option(name: .customLong("as-of"), help: "The shipping date (YYYY-MM-DD).") var asOf: String?
    @Flag(help: "Print a JSON summary.") var json = false
    @OptionGroup var signals: SignalOptions

    func validate() throws {
        if let asOf, Day(asOf) == nil { throw ValidationError("--as-of: not a date (YYYY-MM-DD): '\(asOf)'") }
    }

    func run() throws {
        try runCommand {
            guard FileManager.default.fileExists(atPath: database.path) else {
                throw CLIError.badInput("\(database.path): no such database (create it with keel init)")
            }
            let db = try database.open()
            let s: RouteJob.Summary
            do { s = try RouteJob.run(db, asOf: asOf.flatMap { Day($0) }, signals: signals.configuration) } catch let e as SourcingError {
                throw CLIError.badInput(e.description)
            }
            if json { printJSON(s); return }
            print("sourcing run #\(s.runId) as of \(s.asOf): \(s.orders) orders, \(s.lines) lines → \(s.shipments) shipments (\(s.method))")
            print(
                String(
                    format: "total cost %.2f (shipping %.2f + handling %.2f); %d late lines, %d unsourced lines",
                    s.totalCost, s.shippingCost, s.handlingCost, s.lateLines, s.unsourcedLines))
            print(String(format: "objective %.2f, lower bound %.2f, gap %.3f%%", s.objective, s.lowerBound, s.gap * 100))
            if s.signals != "off" {
                print(String(format: "signals %@: %+.2f", s.signals, s.signalCosts.net) + (s.signalCosts.isZero ? "" : " (" + s.signalCosts.text + ")"))
            }
        }
    }
}
