import CCoin
import Synchronization

/// Cbc's driver (`Cbc_solve` → `CbcMain1`) keeps process-global state, so concurrent solves on
/// different models corrupt each other (observed: status −1 under parallel tests). Every Cbc call
/// that touches a model goes through this lock.
private let cbcLock = Mutex<Void>(())

/// The result of a MIP solve by `CbcSolver`.
public struct MixedIntegerSolution: Sendable, Hashable {
    public var status: SolverStatus
    /// `cᵀx` of the best integer-feasible solution found (`.infinity` when none).
    public var objective: Double
    /// The best integer-feasible solution, one value per column; empty when none was found.
    public var x: [Double]
    /// The best proven lower bound on the optimum (minimisation).
    public var bestBound: Double
    /// Relative gap `|objective − bestBound| / max(|objective|, 1e-10)`; 0 when proven optimal
    /// with no gap, `.infinity` without a solution.
    public var gap: Double

    /// Whether an integer-feasible solution was found (possibly not proven optimal).
    public var hasSolution: Bool { !x.isEmpty }

    /// Returns `self` when optimal, else throws `.notOptimal` carrying the status.
    public func requireOptimal() throws(OptimizationError) -> MixedIntegerSolution {
        guard status == .optimal else { throw OptimizationError(.notOptimal, solver: "Cbc", status: status) }
        return self
    }
}

/// COIN-OR Cbc branch-and-cut for mixed-integer programs (columns with `isInteger` set).
///
/// Cbc models cannot be re-solved, so each `solve` builds a fresh `Cbc_Model`; the handle is
/// owned by this object, replaced on the next solve and released in `deinit`. Logging is off.
/// Not thread-safe and not `Sendable`: use one solver per task.
public final class CbcSolver {
    private var model: UnsafeMutableRawPointer?

    /// Wall-clock limit per solve, in seconds; nil for none. On expiry the status is
    /// `.limitReached` and the best solution so far (if any) is returned with its gap.
    public var timeLimit: Double?
    /// Stop when the relative gap falls below this (Cbc's `ratioGap`); nil for Cbc's default.
    public var relativeGap: Double?

    public init() {}

    deinit {
        if let model { cbcLock.withLock { _ in Cbc_deleteModel(model) } }
    }

    /// Loads and solves `program`. Throws only `.invalidProblem`; infeasible, unbounded and
    /// limit-stopped searches come back as solutions with that status. Solves are serialised
    /// process-wide (see `cbcLock`): run many small MIPs from parallel tasks only if they are
    /// short, or solve their LP relaxations with `ClpSolver`, which has no global state.
    public func solve(_ program: LinearProgram) throws(OptimizationError) -> MixedIntegerSolution {
        try program.validate()
        return cbcLock.withLock { _ in solveLocked(program) }
    }

    private func solveLocked(_ program: LinearProgram) -> MixedIntegerSolution {
        if let model { Cbc_deleteModel(model) }
        let model: UnsafeMutableRawPointer = Cbc_newModel()
        self.model = model
        program.withCoinArrays { a in
            Cbc_loadProblem(model, a.columns, a.rows, a.starts, a.index, a.value, a.columnLower, a.columnUpper,
                            a.objective, a.rowLower, a.rowUpper)
        }
        for (j, integer) in program.isInteger.enumerated() where integer { Cbc_setInteger(model, Int32(j)) }
        Cbc_setLogLevel(model, 0)
        if let timeLimit { Cbc_setMaximumSeconds(model, timeLimit) }
        if let relativeGap { Cbc_setAllowableFractionGap(model, relativeGap) }
        _ = Cbc_solve(model)

        let status: SolverStatus =
            if Cbc_isProvenOptimal(model) != 0 { .optimal }
            else if Cbc_isProvenInfeasible(model) != 0 { .infeasible }
            else if Cbc_isContinuousUnbounded(model) != 0 { .unbounded }
            else if Cbc_isSecondsLimitReached(model) != 0 || Cbc_isNodeLimitReached(model) != 0
                || Cbc_isSolutionLimitReached(model) != 0 || Cbc_status(model) == 1 { .limitReached }
            else { .other(Int(Cbc_status(model))) }
        let x = Cbc_bestSolution(model).map { copyArray($0, count: program.columnCount) } ?? []
        let objective = x.isEmpty ? Double.infinity : Cbc_getObjValue(model)
        let bound = Cbc_getBestPossibleObjValue(model)
        let gap = x.isEmpty ? Double.infinity : abs(objective - bound) / max(abs(objective), 1e-10)
        return MixedIntegerSolution(status: status, objective: objective, x: x, bestBound: bound, gap: gap)
    }
}

@available(*, unavailable)
extension CbcSolver: Sendable {}
