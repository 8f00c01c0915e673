import KeelNumerics

/// MinT (Wickramasuriya, Athanasopoulos & Hyndman 2019), hierarchicalforecast `MinTrace`.
///
/// With `S = [A; I]` and the constraint matrix `C = [I_a, −A]` (`C·y = 0` ⇔ `y` coherent),
///     ỹ = S (SᵀW⁻¹S)⁻¹ SᵀW⁻¹ ŷ = ŷ − W Cᵀ (C W Cᵀ)⁻¹ C ŷ,
/// the projection form hierarchicalforecast also uses. Keel solves the `aggregateCount ×
/// aggregateCount` system `M = C W Cᵀ` by Cholesky (`dposv`) for all horizon steps at once and
/// returns `S·b̃` with `b̃` the bottom block of the projection, so the result is exactly coherent.
///
/// Cost, with `n_a` aggregates, `n_b` bottoms, `L` aggregate levels, `H` steps:
/// - diagonal `W` (ols, wls_struct, wls_var): `M = diag(w_a) + A diag(w_b) Aᵀ` is assembled from
///   the sparse ancestors in O(n_b L²), solved in O(n_a³/3 + n_a² H) when `n_a ≤ denseLimit`,
///   otherwise by Jacobi-preconditioned conjugate gradients with matrix-free products O(n_b L)
///   per iteration (relative residual 1e-12). Memory O(n_a² + n_b L). Never forms S densely.
/// - full `W` (shrink): `W` is dense `n × n`; `W Cᵀ` costs O(n · nnz(A)), the covariance O(n² T).
///   Meant for n ≲ 4,000 series (W alone is 8 n² bytes: 128 MB at n = 4,000).
///
/// Non-negative variant (`nonnegative: true`, as hierarchicalforecast `nonnegative=True`): negative
/// base forecasts are first set to 0; if the unconstrained MinT bottoms are all ≥ 0 they are the
/// answer; otherwise the exact quadratic programme
///     b̃ = argmin_{b ≥ 0} (ŷ − S b)ᵀ W⁻¹ (ŷ − S b)
/// is solved by the Lawson–Hanson active-set method on `G = SᵀW⁻¹S` (`n_b × n_b`, dense; warm
/// started from the clipped unconstrained solution; finite, exact up to rounding). Guarantee:
/// every reconciled value is ≥ 0 (bottoms are exactly 0 or positive, aggregates are their sums)
/// and the result is coherent. The QP path needs `n_b ≤ qpLimit` (default 1,000): each active-set
/// change refactorises `G_PP`, so it costs seconds per step near that size (see Models/reconciliation.md).
extension Reconciler {
    public func minTrace(
        _ base: Matrix, covariance: MinTraceCovariance, residuals: Matrix? = nil, nonnegative: Bool = false,
        denseLimit: Int = 3000, qpLimit: Int = 1000
    ) throws(ForecastError) -> Matrix {
        try check(base)
        var y = base
        if nonnegative { for i in y.storage.indices where y.storage[i] < 0 { y.storage[i] = 0 } }
        let weights = try MinTraceWeights(covariance, hierarchy: hierarchy, residuals: residuals)
        var bottoms: Matrix
        switch weights {
        case .diagonal(let d): bottoms = try projectDiagonal(y, d, denseLimit: denseLimit)
        case .dense(let w): bottoms = try projectDense(y, w)
        }
        if nonnegative && bottoms.storage.contains(where: { $0 < 0 }) {
            guard hierarchy.bottomCount <= qpLimit else {
                throw .invalidInput("non-negative MinT: \(hierarchy.bottomCount) bottom series exceed the QP limit \(qpLimit)")
            }
            bottoms = try nonnegativeBottoms(y, weights: weights, start: bottoms)
        }
        return hierarchy.aggregate(bottoms)
    }

    /// `C·y` for every column: aggregate minus the sum of its bottoms (`n_a × H`).
    func coherenceErrors(_ y: Matrix) -> Matrix {
        let h = hierarchy, n = h.count, na = h.aggregateCount
        var r = Matrix(rows: na, columns: y.columns)
        for c in 0..<y.columns {
            for p in 0..<na {
                var s = y.storage[c * n + p]
                for j in h.members(ofAggregate: p) { s -= y.storage[c * n + na + j] }
                r.storage[c * na + p] = s
            }
        }
        return r
    }

    /// Bottoms of `ŷ − W Cᵀ M⁻¹ C ŷ` for diagonal `W = diag(d)`: `b_j = ŷ_j + d_j Σ_{p ∈ anc(j)} z_p`.
    func projectDiagonal(_ y: Matrix, _ d: [Double], denseLimit: Int) throws(ForecastError) -> Matrix {
        let h = hierarchy, n = h.count, na = h.aggregateCount, nb = h.bottomCount
        var bottoms = bottomRows(of: y)
        guard na > 0 else { return bottoms }
        let r = coherenceErrors(y)
        let z: Matrix
        if na <= denseLimit {
            var m = Matrix(rows: na, columns: na)
            m.storage.withUnsafeMutableBufferPointer { pm in
                for p in 0..<na { pm[p * na + p] += d[p] }
                for j in 0..<nb {
                    let anc = h.ancestors(ofBottom: j), w = d[na + j]
                    for p in anc { for q in anc { pm[q * na + p] += w } }
                }
            }
            do { z = try m.choleskySolve(r) } catch {
                throw .degenerate(model: "MinT", reason: "C·W·Cᵀ is not positive definite (\(error)); a weight is zero or negative")
            }
        } else {
            z = try conjugateGradient(r, d)
        }
        for c in 0..<y.columns {
            for j in 0..<nb {
                var s = 0.0
                for p in h.ancestors(ofBottom: j) { s += z.storage[c * na + p] }
                bottoms.storage[c * nb + j] += d[na + j] * s
            }
        }
        _ = n
        return bottoms
    }

    /// Solves `(diag(d_a) + A diag(d_b) Aᵀ) Z = R` column by column by Jacobi-preconditioned CG.
    func conjugateGradient(_ r: Matrix, _ d: [Double]) throws(ForecastError) -> Matrix {
        let h = hierarchy, na = h.aggregateCount, nb = h.bottomCount
        var diag = Array(d[0..<na])
        for p in 0..<na { for j in h.members(ofAggregate: p) { diag[p] += d[na + j] } }
        var t = [Double](repeating: 0, count: nb)
        func apply(_ x: [Double], _ out: inout [Double]) {
            for j in 0..<nb {
                var s = 0.0
                for p in h.ancestors(ofBottom: j) { s += x[p] }
                t[j] = d[na + j] * s
            }
            for p in 0..<na {
                var s = d[p] * x[p]
                for j in h.members(ofAggregate: p) { s += t[j] }
                out[p] = s
            }
        }
        var z = Matrix(rows: na, columns: r.columns)
        for c in 0..<r.columns {
            let b = Array(r.column(c))
            let bnorm = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard bnorm > 0 else { continue }
            var x = [Double](repeating: 0, count: na), res = b
            var zv = (0..<na).map { res[$0] / diag[$0] }, p = zv, ap = [Double](repeating: 0, count: na)
            var rz = zip(res, zv).reduce(0) { $0 + $1.0 * $1.1 }
            var converged = false
            for _ in 0..<max(100, 4 * na) {
                apply(p, &ap)
                let alpha = rz / zip(p, ap).reduce(0) { $0 + $1.0 * $1.1 }
                for i in 0..<na { x[i] += alpha * p[i]; res[i] -= alpha * ap[i] }
                if res.reduce(0, { $0 + $1 * $1 }).squareRoot() <= 1e-12 * bnorm { converged = true; break }
                for i in 0..<na { zv[i] = res[i] / diag[i] }
                let rzNew = zip(res, zv).reduce(0) { $0 + $1.0 * $1.1 }
                let beta = rzNew / rz
                rz = rzNew
                for i in 0..<na { p[i] = zv[i] + beta * p[i] }
            }
            guard converged else { throw .noConvergence(model: "MinT (conjugate gradients)") }
            for i in 0..<na { z.storage[c * na + i] = x[i] }
        }
        return z
    }

    /// Bottoms of `ŷ − W Cᵀ M⁻¹ C ŷ` for a dense symmetric positive definite `W` (`n × n`).
    func projectDense(_ y: Matrix, _ w: Matrix) throws(ForecastError) -> Matrix {
        let h = hierarchy, n = h.count, na = h.aggregateCount, nb = h.bottomCount
        guard na > 0 else { return bottomRows(of: y) }
        // W Cᵀ: column k = W[:, k] − Σ_{j ∈ members(k)} W[:, na + j].
        var wct = Matrix(rows: n, columns: na)
        for k in 0..<na {
            for i in 0..<n { wct.storage[k * n + i] = w.storage[k * n + i] }
            for j in h.members(ofAggregate: k) {
                for i in 0..<n { wct.storage[k * n + i] -= w.storage[(na + j) * n + i] }
            }
        }
        // M = C (W Cᵀ): M[p, k] = wct[p, k] − Σ_{j ∈ members(p)} wct[na + j, k].
        var m = Matrix(rows: na, columns: na)
        for k in 0..<na {
            for p in 0..<na {
                var s = wct.storage[k * n + p]
                for j in h.members(ofAggregate: p) { s -= wct.storage[k * n + na + j] }
                m.storage[k * na + p] = s
            }
        }
        let z: Matrix
        do { z = try m.choleskySolve(coherenceErrors(y)) } catch {
            throw .degenerate(model: "MinT", reason: "C·W·Cᵀ is not positive definite (\(error)); increase the shrinkage ridge")
        }
        var wctBottom = Matrix(rows: nb, columns: na)
        for k in 0..<na { for j in 0..<nb { wctBottom.storage[k * nb + j] = wct.storage[k * n + na + j] } }
        var bottoms = bottomRows(of: y)
        Matrix.gemm(wctBottom, z, alpha: -1, beta: 1, into: &bottoms)
        return bottoms
    }
}
