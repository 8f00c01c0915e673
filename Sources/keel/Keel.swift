import ArgumentParser
import Foundation
import KeelCore
import KeelStore

@main
struct Keel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keel",
        abstract: "One operational truth for an omnichannel retailer: import, plan, source, check.",
        subcommands: [Demo.self, Init.self, Import.self, Export.self, Status.self, Datasets.self, ForecastCommand.self, Backtest.self,
                      Plan.self, Simulate.self, PolicyCommand.self, ReportCommand.self, AnomaliesCommand.self, Route.self, RunBatch.self,
                      KPICommand.self, Serve.self, Keys.self])

    /// The CLI contract: exit 2 on bad usage (ArgumentParser's default is 64), errors as
    /// `keel: error: …` lines on stderr.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                let message = fullMessage(for: error)
                for line in message.split(separator: "\n", omittingEmptySubsequences: true) {
                    let text = line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : String(line)
                    FileHandle.standardError.write(Data("keel: error: \(text)\n".utf8))
                }
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// `--db PATH` (default `$KEEL_DB`, then `keel.sqlite`).
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: "The database file (default: $KEEL_DB, or keel.sqlite).")
    var db: String?

    var path: String { db ?? ProcessInfo.processInfo.environment["KEEL_DB"] ?? "keel.sqlite" }

    func open() throws -> KeelDatabase {
        do { return try KeelDatabase(path: path) } catch { throw CLIError.failure("cannot open \(path): \(error)") }
    }
}
