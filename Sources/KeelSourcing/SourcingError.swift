/// The sourcing layer's error: a bad request (which field, why) or a conflict with the current
/// state (stock gone, order already cancelled). Adapters map `.invalid` to exit 2 / HTTP 400.
public enum SourcingError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The request is wrong: `field` names the offending input, `reason` says why.
    case invalid(field: String, reason: String)
    /// The request is well formed but cannot be applied to the current state.
    case conflict(String)
    /// The referenced order or plan does not exist.
    case notFound(String)

    public var description: String {
        switch self {
        case .invalid(let field, let reason): return "\(field): \(reason)"
        case .conflict(let what): return what
        case .notFound(let what): return what
        }
    }

    /// A stable machine-readable code (for the HTTP adapter).
    public var code: String {
        switch self {
        case .invalid: return "invalid_request"
        case .conflict: return "conflict"
        case .notFound: return "not_found"
        }
    }
}
