import CCoin

/// The result of an LP solve by `ClpSolver`.
///
/// Sign conventions (Clp's, for the minimisation `min cᵀx`): `rowDuals[i] = ∂(optimal cᵀx)/∂bᵢ`
/// for the active bound `bᵢ` of row `i`, so a binding `≤` row has a dual ≤ 0 and a binding `≥`
/// row a dual ≥ 0; `reducedCosts = c − Aᵀ·rowDuals`. For a maximisation posed as `min −f`, the
/// textbook shadow prices of `f` are `−rowDuals`.
public struct LinearProgramSolution: Sendable, Hashable {
    public var status: SolverStatus
    /// `cᵀx` at the returned point (meaningful when `status == .optimal`).
    public var objective: Double
    /// Primal values, one per column.
    public var x: [Double]
    /// `A·x`, one per row.
    public var rowActivities: [Double]
    /// Shadow prices, one per row (see the sign convention above).
    public var rowDuals: [Double]
    /// Reduced costs, one per column.
    public var reducedCosts: [Double]

    /// Returns `self` when optimal, else throws `.notOptimal` carrying the status.
    public func requireOptimal() throws(OptimizationError) -> LinearProgramSolution {
        guard status == .optimal else { throw OptimizationError(.notOptimal, solver: "Clp", status: status) }
        return self
    }
}

/// A COIN-OR Clp simplex model: solves LPs (integrality is ignored — this is the LP relaxation).
///
/// Owns a `Clp_Simplex` handle, created in `init` with logging off and released in `deinit`.
/// Not thread-safe and not `Sendable`: use one solver per task. Each `solve` replaces the loaded
/// problem, so a solver can be reused sequentially.
public final class ClpSolver {
    private let model: UnsafeMutableRawPointer

    /// Wall-clock limit per solve, in seconds; nil for none. On expiry the status is `.limitReached`.
    public var timeLimit: Double?

    public init() {
        model = Clp_newModel()
        Clp_setLogLevel(model, 0)
    }

    deinit { Clp_deleteModel(model) }

    /// Loads `program` (`Clp_loadProblem`, column-major) and solves it (`Clp_initialSolve`:
    /// presolve + dual simplex). Throws only `.invalidProblem`; an infeasible or unbounded
    /// program comes back as a solution with that status (see `requireOptimal()`).
    /// Clp's default tolerances apply: primal and dual feasibility 1e-7.
    public func solve(_ program: LinearProgram) throws(OptimizationError) -> LinearProgramSolution {
        try program.validate()
        program.withCoinArrays { a in
            Clp_loadProblem(model, a.columns, a.rows, a.starts, a.index, a.value, a.columnLower, a.columnUpper,
                            a.objective, a.rowLower, a.rowUpper)
        }
        Clp_setMaximumSeconds(model, timeLimit ?? -1)
        _ = Clp_initialSolve(model)
        let status: SolverStatus = switch Clp_status(model) {
        case 0: .optimal
        case 1: .infeasible
        case 2: .unbounded
        case 3: .limitReached
        case let other: .other(Int(other))
        }
        let n = program.columnCount, m = program.rowCount
        return LinearProgramSolution(
            status: status,
            objective: Clp_objectiveValue(model),
            x: copyArray(Clp_primalColumnSolution(model), count: n),
            rowActivities: copyArray(Clp_primalRowSolution(model), count: m),
            rowDuals: copyArray(Clp_dualRowSolution(model), count: m),
            reducedCosts: copyArray(Clp_dualColumnSolution(model), count: n))
    }
}

@available(*, unavailable)
extension ClpSolver: Sendable {}
