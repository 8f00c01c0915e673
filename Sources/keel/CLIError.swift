import ArgumentParser
import Foundation
import KeelPlanning
import KeelStore

/// Translates engine errors to the CLI contract: one `keel: error: …` line each on stderr; exit 2
/// for bad usage or bad input, 1 for a failed run.
enum CLIError: Error {
    case badInput(String)
    case failure(String)
}

func runCommand(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch {
        try translate(error)
    }
}

func runCommand(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        try translate(error)
    }
}

/// Prints the error as `keel: error: …` lines and throws the exit code the CLI contract gives it.
private func translate(_ error: Error) throws -> Never {
    do {
        throw error
    } catch let e as CLIError {
        switch e {
        case .badInput(let m): printErrors(m); throw ExitCode(2)
        case .failure(let m): printErrors(m); throw ExitCode(1)
        }
    } catch let e as StoreError {
        printErrors(e.description)
        switch e {
        case .rejected, .badFile, .invalid, .notFound: throw ExitCode(2)
        case .sqlite: throw ExitCode(1)
        }
    } catch let e as PlanningError {
        printErrors(e.message); throw ExitCode(2)
    } catch let e as ExitCode {
        throw e
    } catch {
        printErrors(String(describing: error))
        throw ExitCode(1)
    }
}

func printErrors(_ message: String) {
    for line in message.split(separator: "\n", omittingEmptySubsequences: true) {
        FileHandle.standardError.write(Data("keel: error: \(line)\n".utf8))
    }
}

func printWarning(_ message: String) {
    FileHandle.standardError.write(Data("keel: warning: \(message)\n".utf8))
}

func printJSON<T: Encodable>(_ value: T) {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    if let d = try? e.encode(value) { print(String(decoding: d, as: UTF8.self)) }
}
