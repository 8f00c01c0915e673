import KeelNumerics

/// The MinT error covariance `W`, estimated: diagonal (a weight per row) or dense.
enum MinTraceWeights {
    case diagonal([Double])
    case dense(Matrix)

    init(_ kind: MinTraceCovariance, hierarchy: Hierarchy, residuals: Matrix?) throws(ForecastError) {
        let n = hierarchy.count
        func needResiduals() throws(ForecastError) -> Matrix {
            guard let residuals else { throw .invalidInput("MinT \(kind): in-sample residuals are required") }
            guard residuals.rows == n, residuals.columns >= 2 else {
                throw .invalidInput("MinT \(kind): residuals are \(residuals.rows)×\(residuals.columns), need \(n)×T with T ≥ 2")
            }
            return residuals
        }
        switch kind {
        case .ols: self = .diagonal([Double](repeating: 1, count: n))
        case .wlsStructural: self = .diagonal(hierarchy.bottomCounts)
        case .wlsVariance:
            let e = try needResiduals(), t = e.columns
            var d = [Double](repeating: 0, count: n)
            for c in 0..<t { for i in 0..<n { let v = e.storage[c * n + i]; if !v.isNaN { d[i] += v * v } } }
            self = .diagonal(d.map { $0 / Double(t) + 2e-8 })
        case .shrink(let ridge):
            self = .dense(try ShrunkCovariance.schaferStrimmer(needResiduals(), ridge: ridge))
        }
    }
}

/// Schäfer–Strimmer (2005) shrinkage of a sample covariance toward its diagonal, as
/// hierarchicalforecast's `_shrunk_covariance_schaferstrimmer_no_nans` (its C++ kernel).
enum ShrunkCovariance {
    /// `residuals` is `n × T` (a row per series). With centred residuals `x_it`, sample covariance
    /// `σ_ij = Σ_t x_it x_jt / (T − 1)`, and `s_i = 1 / (√(Σ_t x²_it / T) + ε)`, `ε = 2e-8`:
    ///     r_ij = s_i s_j Σ_t x_it x_jt / T,
    ///     v_ij = s_i² s_j² (Σ_t x²_it x²_jt − T r_ij² / (s_i s_j)²),
    ///     λ = clamp( Σ_{i>j} v_ij / (T (T − 1)) / (Σ_{i>j} r²_ij + ε), 0, 1 ),
    ///     W_ij = (1 − λ) σ_ij (i ≠ j),   W_ii = max(σ_ii, ridge).
    /// Time columns where any residual is NaN are dropped first (complete cases; hierarchicalforecast
    /// instead uses pairwise-complete sums when NaNs are present). O(n² T) via `dsyrk`, memory
    /// O(n² + nT). Throws when fewer than 2 complete columns remain.
    static func schaferStrimmer(_ residuals: Matrix, ridge: Double) throws(ForecastError) -> Matrix {
        let n = residuals.rows
        let keep = (0..<residuals.columns).filter { c in !residuals.column(c).contains { $0.isNaN } }
        let t = keep.count
        guard t >= 2 else { throw .invalidInput("MinT shrink: fewer than 2 time points without a missing residual") }
        // X: T × n, centred columns (one column per series).
        var x = Matrix(rows: t, columns: n)
        for i in 0..<n {
            var mean = 0.0
            for c in keep { mean += residuals.storage[c * n + i] }
            mean /= Double(t)
            for (k, c) in keep.enumerated() { x.storage[i * t + k] = residuals.storage[c * n + i] - mean }
        }
        var x2 = x
        for k in x2.storage.indices { x2.storage[k] *= x2.storage[k] }
        var w = x.gram, g2 = x2.gram
        let eps = 2e-8, tt = Double(t)
        let s = (0..<n).map { 1 / ((w.storage[$0 * n + $0] / tt).squareRoot() + eps) }
        var sumVar = 0.0, sumSq = 0.0
        for j in 0..<n {
            for i in (j + 1)..<n where i > j {
                let cov = w.storage[j * n + i], covMean = cov / tt, sij = s[i] * s[j]
                sumVar += sij * sij * (g2.storage[j * n + i] - tt * covMean * covMean)
                let wMean = sij * covMean
                sumSq += wMean * wMean
            }
        }
        g2 = Matrix(rows: 0, columns: 0)
        let lambda = min(max(sumVar / (tt * (tt - 1)) / (sumSq + eps), 0), 1)
        let shrink = 1 - lambda, scale = 1 / (tt - 1)
        for j in 0..<n {
            for i in 0..<n {
                let v = w.storage[j * n + i] * scale
                w.storage[j * n + i] = i == j ? max(v, ridge) : shrink * v
            }
        }
        return w
    }
}
