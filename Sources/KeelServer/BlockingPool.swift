import Dispatch

/// Runs blocking SQLite work on GCD worker threads, never on the NIO event loops.
enum BlockingPool {
    private static let queue = DispatchQueue(label: "keel.server.sqlite", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
