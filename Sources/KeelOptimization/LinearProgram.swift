/// A linear (or mixed-integer) program in the form the COIN-OR solvers take:
///
///     minimise    cᵀx
///     subject to  rowLower ≤ A·x ≤ rowUpper
///                 columnLower ≤ x ≤ columnUpper
///                 xⱼ ∈ ℤ where isInteger[j]
///
/// Always a minimisation: to maximise f, minimise −f and negate the objective and the duals.
/// Use `±.infinity` for absent bounds (an equality row has `rowLower == rowUpper`). `ClpSolver`
/// ignores `isInteger` (it solves the LP relaxation); `CbcSolver` honours it.
public struct LinearProgram: Sendable, Hashable {
    /// `c`, one cost per column.
    public var objective: [Double]
    /// `A`, `rows × columns`.
    public var constraints: SparseMatrix
    public var rowLower: [Double]
    public var rowUpper: [Double]
    public var columnLower: [Double]
    public var columnUpper: [Double]
    public var isInteger: [Bool]

    /// Column bounds default to `0 ≤ x < ∞`, integrality to none. Lengths are checked by
    /// `validate()`, which the solvers call before loading.
    public init(
        objective: [Double], constraints: SparseMatrix, rowLower: [Double], rowUpper: [Double],
        columnLower: [Double]? = nil, columnUpper: [Double]? = nil, isInteger: [Bool]? = nil
    ) {
        let n = objective.count
        self.objective = objective
        self.constraints = constraints
        self.rowLower = rowLower
        self.rowUpper = rowUpper
        self.columnLower = columnLower ?? Array(repeating: 0, count: n)
        self.columnUpper = columnUpper ?? Array(repeating: .infinity, count: n)
        self.isInteger = isInteger ?? Array(repeating: false, count: n)
    }

    public var columnCount: Int { objective.count }
    public var rowCount: Int { rowLower.count }
    public var hasIntegers: Bool { isInteger.contains(true) }

    /// Checks that every array matches the matrix shape, the matrix is well formed, costs are
    /// finite and no bound is NaN. O(nnz + rows + columns).
    public func validate() throws(OptimizationError) {
        let m = constraints.rows, n = constraints.columns
        guard objective.count == n, columnLower.count == n, columnUpper.count == n, isInteger.count == n,
              rowLower.count == m, rowUpper.count == m
        else {
            throw .invalid("A is \(m)×\(n) but c has \(objective.count), column bounds \(columnLower.count)/\(columnUpper.count), integrality \(isInteger.count), row bounds \(rowLower.count)/\(rowUpper.count)")
        }
        try constraints.validate()
        if let j = objective.firstIndex(where: { !$0.isFinite }) { throw .invalid("non-finite cost for column \(j)") }
        for bounds in [rowLower, rowUpper, columnLower, columnUpper] where bounds.contains(where: \.isNaN) {
            throw .invalid("NaN bound")
        }
    }

    /// Bounds with `±∞` mapped to `±DBL_MAX`, COIN-OR's infinity.
    static func coinBounds(_ bounds: [Double]) -> [Double] {
        bounds.map { $0 == .infinity ? .greatestFiniteMagnitude : $0 == -.infinity ? -.greatestFiniteMagnitude : $0 }
    }
}
