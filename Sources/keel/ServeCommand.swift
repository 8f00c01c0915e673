import ArgumentParser
import Foundation
import KeelServer

/// `keel serve`: the HTTP API until SIGINT/SIGTERM (graceful shutdown).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The HTTP API for the order router, planners and finance.",
        discussion: "Keys come from `keel keys create`. Stops gracefully on SIGINT or SIGTERM. See README, \"HTTP API\".")
    @OptionGroup var database: DatabaseOption
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080
    @OptionGroup var signals: SignalOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port: must be between 0 and 65535, got \(port)") }
    }

    func run() async throws {
        try await runCommand {
            guard FileManager.default.fileExists(atPath: database.path) else {
                throw CLIError.badInput("\(database.path): no such database (create it with keel init)")
            }
            let api = try KeelAPI(database: try database.open(), signals: signals.configuration)
            FileHandle.standardError.write(Data("keel: serving \(database.path) on http://\(host):\(port)\n".utf8))
            try await api.run(host: host, port: port)
        }
    }
}

/// `keel keys create|revoke`: API keys, printed once and stored hashed.
struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "API keys for `keel serve` (printed once, stored as SHA-256).", subcommands: [Create.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key for a role and print it once.")
        @OptionGroup var database: DatabaseOption
        @Option(help: "router, planner, finance or admin.") var role: String

        func validate() throws {
            guard APIRole(rawValue: role) != nil else {
                throw ValidationError("--role: must be router, planner, finance or admin, got '\(role)'")
            }
        }

        func run() throws {
            try runCommand {
                guard FileManager.default.fileExists(atPath: database.path) else {
                    throw CLIError.badInput("\(database.path): no such database (create it with keel init)")
                }
                let created = try APIKeys.create(try database.open(), role: APIRole(rawValue: role)!)
                FileHandle.standardError.write(Data("keel: API key \(created.id) (\(created.role.rawValue)) — shown once, store it now\n".utf8))
                print(created.key)
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by its id.")
        @Argument(help: "The key's id (printed by `keel keys create`).") var id: Int64
        @OptionGroup var database: DatabaseOption

        func run() throws {
            try runCommand {
                guard FileManager.default.fileExists(atPath: database.path) else {
                    throw CLIError.badInput("\(database.path): no such database (create it with keel init)")
                }
                try database.open().revokeAPIKey(id: id)
                print("revoked API key \(id)")
            }
        }
    }
}
