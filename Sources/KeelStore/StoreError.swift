/// The store layer's one error type, carrying the context a person needs to fix the cause.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// Rows of an input file were rejected (`file:line: column: reason` each).
    case rejected([ImportIssue], total: Int)
    /// A file could not be read or is not a contract file.
    case badFile(path: String, reason: String)
    /// An SQLite call failed.
    case sqlite(code: Int32, message: String, sql: String)
    /// A lookup found nothing (an unknown run id, anomaly id, …).
    case notFound(String)
    /// The request itself is wrong (an unknown export kind, an illegal change).
    case invalid(String)

    public var description: String {
        switch self {
        case .rejected(let issues, let total):
            var lines = issues.map(\.description)
            if total > issues.count { lines.append("… and \(total - issues.count) more rejected rows") }
            return lines.joined(separator: "\n")
        case .badFile(let path, let reason): return "\(path): \(reason)"
        case .sqlite(let code, let message, let sql): return "SQLite error \(code): \(message) (in: \(sql.prefix(120)))"
        case .notFound(let what): return what
        case .invalid(let what): return what
        }
    }
}

/// One rejected row: `file:line: column: reason`.
public struct ImportIssue: Sendable, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var column: String
    public var reason: String
    public var description: String { "\(file):\(line): \(column): \(reason)" }
}
