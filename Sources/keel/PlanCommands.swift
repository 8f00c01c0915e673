import ArgumentParser
import Foundation
import KeelCore
import KeelEngine
import KeelForecast
import KeelPlanning
import KeelStore

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replenishment and transfer plans from the latest forecast run (a replenishment run and a transfers run).")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Planning configuration (default: Models/planning.json when present, else the built-in defaults).") var config: String?
    @Option(help: "The forecast run to plan from (default: the latest).") var forecastRun: Int64?
    @Flag(help: "Print a JSON summary.") var json = false

    func run() throws {
        try runCommand {
            guard FileManager.default.fileExists(atPath: database.path) else { throw CLIError.badInput("\(database.path): no such database") }
            let configuration = try PlanningConfiguration.resolve(path: config)
            let summary = try PlanJob.run(try database.open(), configuration: configuration, forecastRun: forecastRun)
            if json { printJSON(summary); return }
            print(PlanText.render(summary), terminator: "")
        }
    }
}

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay the last N days of real demand (held out from the forecast) through Keel's plans and a tuned min/max rule.")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Days of demand to hold out and replay.") var days = 28
    @Option(help: "Planning configuration (default: Models/planning.json when present).") var config: String?
    @Option(help: "Random seed for lead-time draws.") var seed: UInt64 = 42
    @Flag(help: "Print a JSON summary.") var json = false

    func run() async throws {
        try await runCommand {
            guard FileManager.default.fileExists(atPath: database.path) else { throw CLIError.badInput("\(database.path): no such database") }
            guard days >= 7 else { throw CLIError.badInput("--days must be at least 7") }
            let configuration = try PlanningConfiguration.resolve(path: config)
            let summary = try await SimulationJob.run(try database.open(), days: days, configuration: configuration,
                                                      candidates: ModelSets.candidates(try ModelSets.resolve(path: nil), frequency: .daily), seed: seed)
            if json { printJSON(summary); return }
            print(PlanText.render(summary), terminator: "")
        }
    }
}
