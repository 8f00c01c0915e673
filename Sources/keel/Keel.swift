import ArgumentParser
import Foundation
import KeelCore
import KeelStore

@main
struct Keel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keel",
        abstract: "One operational truth for an omnichannel retailer: import, plan, source, check.",
        subcommands: [Demo.self, Init.self, Import.self, Export.self, Status.self, Datasets.self])
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
