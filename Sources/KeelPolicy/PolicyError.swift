/// Bad input to a policy computation: which field, and why. Thrown before any work is done.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The parameter at fault, e.g. `lead time`, `service target`, `holding cost`.
    public let field: String
    public let reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}

/// Input checks shared by every policy: each throws a `PolicyError` naming the field.
enum Check {
    static func finite(_ x: Double, _ field: String) throws {
        guard x.isFinite else { throw PolicyError(field: field, reason: "must be a finite number, got \(x)") }
    }

    static func positive(_ x: Double, _ field: String) throws {
        try finite(x, field)
        guard x > 0 else { throw PolicyError(field: field, reason: "must be greater than 0, got \(x)") }
    }

    static func nonNegative(_ x: Double, _ field: String) throws {
        try finite(x, field)
        guard x >= 0 else { throw PolicyError(field: field, reason: "must not be negative, got \(x)") }
    }

    /// A probability strictly between 0 and 1 (a service target, a critical ratio).
    static func openUnit(_ x: Double, _ field: String) throws {
        guard x.isFinite, x > 0, x < 1 else { throw PolicyError(field: field, reason: "must be strictly between 0 and 1, got \(x)") }
    }

    /// Periods an order takes to arrive under periodic review: 0 (arrives before the period's
    /// demand) or more. Negative lead times are refused.
    static func leadTime(_ l: Int) throws {
        guard l >= 0 else { throw PolicyError(field: "lead time", reason: "must be 0 or more periods, got \(l)") }
    }
}
