import CLAPACKE

/// Dense linear algebra over LAPACKE (column-major). Inputs are copied; the receiver is never
/// modified. Every routine throws `NumericsError` naming the LAPACK routine and its `info`.
extension Matrix {
    /// Solves `A·X = B` for symmetric positive definite `A` by Cholesky (`dposv`, upper triangle
    /// of `A` read). `A` is `n × n`, `B` is `n × k`. O(n³/3 + n²k).
    /// Relative error ≈ `κ(A)·ε`. Throws `.notPositiveDefinite` (info = order of the failing minor).
    public func choleskySolve(_ b: Matrix) throws(NumericsError) -> Matrix {
        try requireSquare("dposv", rhs: b)
        var a = storage, x = b
        let info = a.withUnsafeMutableBufferPointer { pa in
            x.storage.withUnsafeMutableBufferPointer { pb in
                LAPACKE_dposv(LAPACK_COL_MAJOR, Matrix.upper, Int32(rows), Int32(b.columns),
                              pa.baseAddress, leadingDimension, pb.baseAddress, b.leadingDimension)
            }
        }
        guard info == 0 else { throw NumericsError(routine: "dposv", info: info, positive: .notPositiveDefinite) }
        return x
    }

    /// `choleskySolve` for one right-hand side.
    public func choleskySolve(_ b: [Double]) throws(NumericsError) -> [Double] {
        try choleskySolve(Matrix(column: b)).storage
    }

    /// Solves `A·X = B` for general square `A` by LU with partial pivoting (`dgesv`). O(2n³/3 + 2n²k).
    /// Throws `.singular` when `U(info, info)` is exactly zero; near-singular systems succeed with
    /// error ≈ `κ(A)·ε`.
    public func solve(_ b: Matrix) throws(NumericsError) -> Matrix {
        try requireSquare("dgesv", rhs: b)
        var a = storage, x = b
        var pivots = [Int32](repeating: 0, count: rows)
        let info = a.withUnsafeMutableBufferPointer { pa in
            x.storage.withUnsafeMutableBufferPointer { pb in
                pivots.withUnsafeMutableBufferPointer { pp in
                    LAPACKE_dgesv(LAPACK_COL_MAJOR, Int32(rows), Int32(b.columns), pa.baseAddress,
                                  leadingDimension, pp.baseAddress, pb.baseAddress, b.leadingDimension)
                }
            }
        }
        guard info == 0 else { throw NumericsError(routine: "dgesv", info: info, positive: .singular) }
        return x
    }

    /// `solve` for one right-hand side.
    public func solve(_ b: [Double]) throws(NumericsError) -> [Double] {
        try solve(Matrix(column: b)).storage
    }

    /// Least squares `min ‖A·X − B‖₂` for full-rank `A` (`m × n`) by QR (`dgels`); for `m < n`
    /// the minimum-norm solution of the underdetermined system. Returns `n × k`. O(2mn² − 2n³/3).
    /// Throws `.singular` (info = index of the zero diagonal of R) only when `A` is exactly
    /// rank-deficient; a numerically rank-deficient `A` gives huge coefficients instead — use
    /// `minimumNormLeastSquares` when collinearity is possible.
    public func leastSquares(_ b: Matrix) throws(NumericsError) -> Matrix {
        try requireRows("dgels", rhs: b)
        var a = storage
        var x = paddedRightHandSide(b)
        let ldb = x.leadingDimension
        let info = a.withUnsafeMutableBufferPointer { pa in
            x.storage.withUnsafeMutableBufferPointer { pb in
                LAPACKE_dgels(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), Int32(rows), Int32(columns),
                              Int32(b.columns), pa.baseAddress, leadingDimension, pb.baseAddress, ldb)
            }
        }
        guard info == 0 else { throw NumericsError(routine: "dgels", info: info, positive: .singular) }
        return x.topRows(columns)
    }

    /// `leastSquares` for one right-hand side: the coefficient vector.
    public func leastSquares(_ b: [Double]) throws(NumericsError) -> [Double] {
        try leastSquares(Matrix(column: b)).storage
    }

    /// The outcome of a rank-revealing least-squares solve.
    public struct RankRevealingSolution: Sendable, Hashable {
        /// The minimum-norm minimiser, `n × k`.
        public var solution: Matrix
        /// The effective rank: the number of singular values above `rcond · σ₁`.
        public var rank: Int
        /// The singular values of `A`, descending.
        public var singularValues: [Double]
    }

    /// Minimum-norm least squares by divide-and-conquer SVD (`dgelsd`): works for rank-deficient
    /// `A`. Singular values `σᵢ ≤ rcond·σ₁` are treated as zero; the default `rcond` is
    /// `ε·max(m, n)` (numpy's `lstsq` default). O(mn·min(m,n)). Throws `.noConvergence` when the
    /// SVD fails to converge.
    public func minimumNormLeastSquares(_ b: Matrix, rcond: Double? = nil) throws(NumericsError) -> RankRevealingSolution {
        try requireRows("dgelsd", rhs: b)
        let rcond = rcond ?? Double.ulpOfOne * Double(Swift.max(rows, columns))
        var a = storage
        var x = paddedRightHandSide(b)
        var s = [Double](repeating: 0, count: Swift.min(rows, columns))
        var rank: Int32 = 0
        let ldb = x.leadingDimension
        let info = a.withUnsafeMutableBufferPointer { pa in
            x.storage.withUnsafeMutableBufferPointer { pb in
                s.withUnsafeMutableBufferPointer { ps in
                    LAPACKE_dgelsd(LAPACK_COL_MAJOR, Int32(rows), Int32(columns), Int32(b.columns), pa.baseAddress,
                                   leadingDimension, pb.baseAddress, ldb, ps.baseAddress, rcond, &rank)
                }
            }
        }
        guard info == 0 else { throw NumericsError(routine: "dgelsd", info: info, positive: .noConvergence) }
        return RankRevealingSolution(solution: x.topRows(columns), rank: Int(rank), singularValues: s)
    }

    /// Ridge regression: solves `(XᵀX + λD)·β = Xᵀy` by Cholesky (`dsyrk`, then `dposv`), where
    /// `D` is the identity except `D[c, c] = 0` for `unpenalizedColumn` (typically the intercept's
    /// column of ones, which then equals the plain least-squares intercept). `X` is `m × n`,
    /// `y` has `m` elements, `λ ≥ 0`. O(mn² + n³/3). With `λ > 0` and no unpenalised column the
    /// system is always SPD; otherwise throws `.notPositiveDefinite` from `dposv` when the
    /// unpenalised part is collinear. Forming `XᵀX` squares the condition number: relative
    /// error ≈ `κ(X)²·ε / (1 + λ/σ²_min)`, fine for the well-scaled designs used in forecasting.
    public static func ridge(
        _ x: Matrix, _ y: [Double], lambda: Double, unpenalizedColumn: Int? = nil
    ) throws(NumericsError) -> [Double] {
        guard y.count == x.rows else {
            throw NumericsError(.dimensionMismatch, routine: "ridge", detail: "X is \(x.rows)×\(x.columns), y has \(y.count)")
        }
        guard lambda >= 0, lambda.isFinite else {
            throw NumericsError(.illegalArgument, routine: "ridge", detail: "lambda = \(lambda)")
        }
        if let c = unpenalizedColumn, !(0..<x.columns).contains(c) {
            throw NumericsError(.illegalArgument, routine: "ridge", detail: "unpenalized column \(c) of \(x.columns)")
        }
        var lhs = x.gram
        for j in 0..<x.columns where j != unpenalizedColumn { lhs[j, j] += lambda }
        return try lhs.choleskySolve(x.multiplied(by: y, transpose: true))
    }

    /// Eigen-decomposition of a symmetric matrix: `A = V·diag(values)·Vᵀ`.
    public struct SymmetricEigen: Sendable, Hashable {
        /// Eigenvalues, ascending.
        public var values: [Double]
        /// Orthonormal eigenvectors as columns, column `j` belonging to `values[j]`
        /// (each determined up to sign).
        public var vectors: Matrix
    }

    /// Symmetric eigen-decomposition by divide and conquer (`dsyevd`, upper triangle of `A` read).
    /// O(n³). Eigenvalues accurate to ≈ `ε·‖A‖₂` in absolute terms. Throws `.noConvergence`.
    public func symmetricEigen() throws(NumericsError) -> SymmetricEigen {
        guard rows == columns else {
            throw NumericsError(.dimensionMismatch, routine: "dsyevd", detail: "A is \(rows)×\(columns)")
        }
        var v = self
        var w = [Double](repeating: 0, count: rows)
        let info = v.storage.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in
                LAPACKE_dsyevd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "V")), Matrix.upper, Int32(rows),
                               pa.baseAddress, leadingDimension, pw.baseAddress)
            }
        }
        guard info == 0 else { throw NumericsError(routine: "dsyevd", info: info, positive: .noConvergence) }
        return SymmetricEigen(values: w, vectors: v)
    }

    // MARK: - Helpers

    private static let upper = CChar(UInt8(ascii: "U"))

    private func requireSquare(_ routine: String, rhs b: Matrix) throws(NumericsError) {
        guard rows == columns, b.rows == rows else {
            throw NumericsError(.dimensionMismatch, routine: routine, detail: "A is \(rows)×\(columns), B is \(b.rows)×\(b.columns)")
        }
    }

    private func requireRows(_ routine: String, rhs b: Matrix) throws(NumericsError) {
        guard b.rows == rows else {
            throw NumericsError(.dimensionMismatch, routine: routine, detail: "A is \(rows)×\(columns), B is \(b.rows)×\(b.columns)")
        }
    }

    /// `B` copied into the top of a `max(m, n) × k` buffer, as `dgels`/`dgelsd` require.
    private func paddedRightHandSide(_ b: Matrix) -> Matrix {
        let height = Swift.max(rows, columns)
        var x = Matrix(rows: height, columns: b.columns)
        for j in 0..<b.columns {
            for i in 0..<b.rows { x.storage[i + j * height] = b.storage[i + j * b.rows] }
        }
        return x
    }

    /// The first `count` rows.
    private func topRows(_ count: Int) -> Matrix {
        var t = Matrix(rows: count, columns: columns)
        for j in 0..<columns {
            for i in 0..<count { t.storage[i + j * count] = storage[i + j * rows] }
        }
        return t
    }
}
