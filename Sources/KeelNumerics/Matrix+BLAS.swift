import CBLAS

/// Level-1/2/3 BLAS over `Matrix` (OpenBLAS, column-major). All routines are exact up to
/// floating-point rounding: results match a naive triple loop to about `n · ε · ‖A‖‖B‖`.
/// Shape mismatches are programmer errors and trap.
extension Matrix {
    /// `C ← α·op(A)·op(B) + β·C` (`cblas_dgemm`), where `op(X)` is `Xᵀ` when the flag is set.
    /// `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is `m × n`. When `β == 0`, `C`'s prior contents
    /// are ignored (BLAS does not read them, so NaNs there do not propagate). O(m·n·k).
    public static func gemm(
        _ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false,
        alpha: Double = 1, beta: Double = 0, into c: inout Matrix
    ) {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(k == kb && c.rows == m && c.columns == n, "gemm: shapes \(m)×\(k) · \(kb)×\(n) → \(c.rows)×\(c.columns)")
        guard m > 0, n > 0 else { return }
        let ldc = c.leadingDimension
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(
                        CblasColMajor, transposeA ? CblasTrans : CblasNoTrans,
                        transposeB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), alpha, pa.baseAddress, a.leadingDimension,
                        pb.baseAddress, b.leadingDimension, beta, pc.baseAddress, ldc)
                }
            }
        }
    }

    /// `op(A)·op(B)` as a new matrix (`gemm` with `α = 1, β = 0`).
    public func multiplied(by b: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false) -> Matrix {
        var c = Matrix(rows: transposeSelf ? columns : rows, columns: transposeOther ? b.rows : b.columns)
        Matrix.gemm(self, b, transposeA: transposeSelf, transposeB: transposeOther, into: &c)
        return c
    }

    public static func * (a: Matrix, b: Matrix) -> Matrix { a.multiplied(by: b) }

    /// `y ← α·op(A)·x + β·y` (`cblas_dgemv`). `x` has `op(A).columns` elements, `y` `op(A).rows`.
    public static func gemv(
        _ a: Matrix, _ x: [Double], transpose: Bool = false, alpha: Double = 1, beta: Double = 0,
        into y: inout [Double]
    ) {
        let (m, n) = transpose ? (a.columns, a.rows) : (a.rows, a.columns)
        precondition(x.count == n && y.count == m, "gemv: op(A) is \(m)×\(n), x has \(x.count), y has \(y.count)")
        guard a.rows > 0, a.columns > 0 else {
            for i in y.indices { y[i] *= beta }
            return
        }
        a.storage.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_dgemv(
                        CblasColMajor, transpose ? CblasTrans : CblasNoTrans, Int32(a.rows), Int32(a.columns),
                        alpha, pa.baseAddress, a.leadingDimension, px.baseAddress, 1, beta, py.baseAddress, 1)
                }
            }
        }
    }

    /// `op(A)·x` as a new vector.
    public func multiplied(by x: [Double], transpose: Bool = false) -> [Double] {
        var y = [Double](repeating: 0, count: transpose ? columns : rows)
        Matrix.gemv(self, x, transpose: transpose, into: &y)
        return y
    }

    /// The Gram matrix `AᵀA` (`columns × columns`, symmetric, both triangles filled) by
    /// `cblas_dsyrk` — the left-hand side of the normal equations. About half the flops of `gemm`.
    public var gram: Matrix {
        let n = columns
        var g = Matrix(rows: n, columns: n)
        guard n > 0 else { return g }
        if rows > 0 {
            storage.withUnsafeBufferPointer { pa in
                g.storage.withUnsafeMutableBufferPointer { pg in
                    cblas_dsyrk(
                        CblasColMajor, CblasUpper, CblasTrans, Int32(n), Int32(rows), 1,
                        pa.baseAddress, leadingDimension, 0, pg.baseAddress, Int32(n))
                }
            }
        }
        for j in 0..<n { for i in (j + 1)..<n { g.storage[i + j * n] = g.storage[j + i * n] } }
        return g
    }

    /// `xᵀy` (`cblas_ddot`). Both buffers must have the same count.
    public static func dot(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>) -> Double {
        precondition(x.count == y.count, "dot: \(x.count) vs \(y.count)")
        guard !x.isEmpty else { return 0 }
        return cblas_ddot(Int32(x.count), x.baseAddress, 1, y.baseAddress, 1)
    }

    /// `y ← α·x + y` (`cblas_daxpy`). Both buffers must have the same count.
    public static func axpy(_ alpha: Double, _ x: UnsafeBufferPointer<Double>, _ y: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == y.count, "axpy: \(x.count) vs \(y.count)")
        guard !x.isEmpty else { return }
        cblas_daxpy(Int32(x.count), alpha, x.baseAddress, 1, y.baseAddress, 1)
    }

    /// `xᵀy` over arrays.
    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in dot(px, py) } }
    }

    /// `y ← α·x + y` over arrays.
    public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        x.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in axpy(alpha, px, py) } }
    }
}
