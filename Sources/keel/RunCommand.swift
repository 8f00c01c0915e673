import ArgumentParser
import Foundation
import KeelCore
import KeelEngine
import KeelForecast
import KeelPlanning

struct RunBatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The nightly batch: forecast → plan → route → anomalies, each its own run.")
    @OptionGroup var database: DatabaseOption
    @Option(name: .customLong("as-of"), help: "The batch's day (default: the latest transaction date).") var asOf: String?
    @Option(help: "Planning configuration (default: Models/planning.json when present).") var config: String?
    @Flag(help: "Print a JSON summary.") var json = false

    func run() async throws {
        try await runCommand {
            guard FileManager.default.fileExists(atPath: database.path) else { throw CLIError.badInput("\(database.path): no such database") }
            var day: Day?
            if let asOf { guard let d = Day(asOf) else { throw CLIError.badInput("--as-of must be a date YYYY-MM-DD") }; day = d }
            let sets = try ModelSets.resolve(path: nil)
            var options = NightlyBatch.Options(candidates: ModelSets.candidates(sets, frequency: .daily),
                                               planning: try PlanningConfiguration.resolve(path: config), asOf: day)
            options.medianClasses = ModelSets.medianClasses(sets, frequency: .daily)
            let summary = await NightlyBatch.run(try database.open(), options: options, event: BatchProgress.report)
            if json { printJSON(summary) } else { print(BatchProgress.render(summary), terminator: "") }
            if let failed = summary.steps.first(where: { $0.status == "failed" }) {
                throw CLIError.failure("step \(failed.step.rawValue) failed: \(failed.error ?? "unknown error") (earlier runs are kept; its run is recorded as failed)")
            }
        }
    }
}

/// Batch progress: a bar of steps on a terminal, structured `key=value` lines otherwise.
enum BatchProgress {
    static let isTerminal = isatty(2) == 1

    @Sendable static func report(_ step: NightlyBatch.Step, _ result: NightlyBatch.StepResult?) {
        let all = NightlyBatch.Step.allCases, index = all.firstIndex(of: step)!
        if isTerminal {
            let done = index + (result == nil ? 0 : 1)
            let bar = String(repeating: "█", count: done * 6) + String(repeating: "░", count: (all.count - done) * 6)
            let text = result.map { r in String(format: "%@ %@ (%.1fs)", step.rawValue, r.status, r.seconds) } ?? "\(step.rawValue) …"
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(bar) \(done)/\(all.count) \(text)".utf8))
            if result != nil, done == all.count || result?.status == "failed" { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            let ts = ISO8601DateFormatter().string(from: Date())
            let line = result.map { r in
                "ts=\(ts) level=\(r.status == "failed" ? "error" : "info") event=batch.step step=\(step.rawValue) status=\(r.status) seconds=\(String(format: "%.3f", r.seconds)) runs=\(r.runIds.map(String.init).joined(separator: ","))"
            } ?? "ts=\(ts) level=info event=batch.step step=\(step.rawValue) status=started"
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    static func render(_ s: NightlyBatch.Summary) -> String {
        var out = "nightly batch: \(s.succeeded ? "succeeded" : "failed") in \(String(format: "%.1f", s.seconds))s\n"
        for r in s.steps {
            let runs = r.runIds.isEmpty ? "" : " run " + r.runIds.map { "#\($0)" }.joined(separator: ", ")
            let step = r.step.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0), status = r.status.padding(toLength: 9, withPad: " ", startingAt: 0)
            out += "  \(step) \(status) " + String(format: "%6.1fs", r.seconds) + "\(runs)  \(r.error ?? r.summary)\n"
        }
        return out
    }
}
