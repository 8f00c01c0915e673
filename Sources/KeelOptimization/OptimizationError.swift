/// How a solve ended. `other` carries the solver's raw status code.
public enum SolverStatus: Sendable, Hashable {
    /// Proven optimal (for a MIP: within the configured gap, which defaults to Cbc's).
    case optimal
    /// No point satisfies the constraints (proven by the solver).
    case infeasible
    /// The objective decreases without bound (for a MIP: the LP relaxation is unbounded).
    case unbounded
    /// Stopped on a time, iteration, node or solution limit; a MIP may still hold a feasible,
    /// non-proven solution.
    case limitReached
    /// Anything else (numerical trouble, abandoned search): the solver's primary status code.
    case other(Int)
}

/// A failure of the optimisation layer: a malformed problem, or a solve that did not reach the
/// status the caller required. Carries the solver (`"Clp"`, `"Cbc"`, or `"LinearProgram"` for
/// problems rejected before any solver saw them) and the solver status.
public struct OptimizationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Inconsistent lengths, out-of-range indices, NaN coefficients.
        case invalidProblem
        /// The solver finished without an optimal solution; see `status`.
        case notOptimal
    }

    public let kind: Kind
    public let solver: String
    /// The solver's verdict for `.notOptimal`; nil for `.invalidProblem`.
    public let status: SolverStatus?
    public let detail: String

    public init(_ kind: Kind, solver: String, status: SolverStatus? = nil, detail: String = "") {
        self.kind = kind
        self.solver = solver
        self.status = status
        self.detail = detail
    }

    static func invalid(_ detail: String) -> OptimizationError {
        OptimizationError(.invalidProblem, solver: "LinearProgram", detail: detail)
    }

    public var description: String {
        "\(solver): \(kind)" + (status.map { " (\($0))" } ?? "") + (detail.isEmpty ? "" : ": \(detail)")
    }
}
