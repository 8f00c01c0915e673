import KeelNumerics

/// How base forecasts are made coherent.
public enum ReconciliationMethod: Sendable, Hashable {
    /// `ỹ = S·ŷ_bottom`.
    case bottomUp
    /// Top-down by forecast proportions down the chain of levels (hierarchicalforecast
    /// `TopDown(method='forecast_proportions')`); needs a strict hierarchy.
    case topDownForecastProportions
    /// MinT with the given error covariance estimate (hierarchicalforecast `MinTrace`).
    case minTrace(MinTraceCovariance, nonnegative: Bool = false)
}

/// The error covariance `W` used by MinT (names as in hierarchicalforecast's `MinTrace`).
public enum MinTraceCovariance: Sendable, Hashable {
    /// `ols`: `W = I`.
    case ols
    /// `wls_struct`: `W = diag(S·1)`, the number of bottom series under each row.
    case wlsStructural
    /// `wls_var`: `W = diag(Σ_t e²_it / T + 2e-8)` from in-sample one-step residuals (NaN skipped in
    /// the sum, `T` all columns — as hierarchicalforecast).
    case wlsVariance
    /// `mint_shrink`: Schäfer–Strimmer shrinkage of the residual covariance toward its diagonal,
    /// diagonal floored at `ridge` (hierarchicalforecast's `mint_shr_ridge`, default 2e-8).
    case shrink(ridge: Double = 2e-8)

    /// Whether `W` is diagonal (the sparse path that scales to M5-sized panels).
    public var isDiagonal: Bool { if case .shrink = self { return false } else { return true } }
}

/// Reconciles base forecasts over one `Hierarchy`.
///
/// Forecast matrices are `hierarchy.count × horizon` (`Matrix`, column-major: one column per
/// horizon step, rows in hierarchy order — aggregates then bottoms). Every method returns
/// `S·b̃` for reconciled bottoms `b̃`, so the output is coherent to rounding (aggregates equal
/// the sums of their bottoms to ~1e-15 relative).
public struct Reconciler: Sendable {
    public let hierarchy: Hierarchy

    public init(_ hierarchy: Hierarchy) { self.hierarchy = hierarchy }

    /// Reconciles `base` with `method`. `residuals` (`hierarchy.count × T`, in-sample one-step
    /// errors `y − ŷ`, NaN allowed) are needed by `.wlsVariance` and `.shrink` only.
    public func reconcile(_ base: Matrix, method: ReconciliationMethod, residuals: Matrix? = nil) throws(ForecastError) -> Matrix {
        switch method {
        case .bottomUp: return try bottomUp(base)
        case .topDownForecastProportions: return try topDown(base)
        case .minTrace(let w, let nonnegative): return try minTrace(base, covariance: w, residuals: residuals, nonnegative: nonnegative)
        }
    }

    /// Bottom-up: `ỹ = S·ŷ_b`, the bottom rows of `base` summed up. O(nnz(A) × horizon).
    /// Bottom-up of coherent forecasts is the identity.
    public func bottomUp(_ base: Matrix) throws(ForecastError) -> Matrix {
        try check(base)
        return hierarchy.aggregate(bottomRows(of: base))
    }

    /// Top-down by forecast proportions (Athanasopoulos et al. 2009; hierarchicalforecast
    /// `TopDown(method='forecast_proportions')`). `chain` are consecutive levels of a strict
    /// hierarchy — by default all levels, in order, ending with the bottom; each row of level
    /// `l + 1` must lie inside exactly one row of level `l`. Per horizon step, the top rows keep
    /// their base forecast and every child `c` of a parent `p` (with siblings `C(p)`) gets
    ///     ỹ_c = ŷ_c · ỹ_p / Σ_{k∈C(p)} ŷ_k,   or ỹ_p / |C(p)| when |Σ_{k∈C(p)} ŷ_k| < 1e-8.
    /// The output is `S·ỹ_bottom`. O(rows × horizon + nnz(A) × horizon).
    public func topDown(_ base: Matrix, chain: [Int]? = nil) throws(ForecastError) -> Matrix {
        try check(base)
        let h = hierarchy, n = h.count, na = h.aggregateCount, nb = h.bottomCount
        let chainLevels = chain ?? Array(h.levels.indices)
        guard let last = chainLevels.last, h.levels[last].rows == na..<n else {
            throw .invalidInput("top-down: the chain of levels must end with the bottom level")
        }
        // parent[l][r]: the row of level chain[l] containing row r of level chain[l + 1].
        // A bottom's ancestor in a level is the unique ancestor row inside that level's range.
        func ancestor(of j: Int, in rows: Range<Int>) -> Int? {
            if rows.lowerBound >= na { return na + j }
            return h.ancestors(ofBottom: j).first { rows.contains($0) }
        }
        var parentOf = [Int](repeating: -1, count: n)
        for (l, levelIndex) in chainLevels.dropLast().enumerated() {
            let upper = h.levels[levelIndex].rows, lower = h.levels[chainLevels[l + 1]].rows
            for j in 0..<nb {
                guard let child = ancestor(of: j, in: lower), let parent = ancestor(of: j, in: upper) else {
                    throw .invalidInput("top-down: bottom \(h.rowIDs[na + j]) is missing from a level of the chain")
                }
                if parentOf[child] == -1 { parentOf[child] = parent }
                guard parentOf[child] == parent else {
                    throw .invalidInput("top-down needs a strict hierarchy: \(h.rowIDs[child]) lies under both \(h.rowIDs[parentOf[child]]) and \(h.rowIDs[parent])")
                }
            }
        }
        // Children lists per parent, in row order.
        var children = [[Int]](repeating: [], count: n)
        for l in chainLevels.dropFirst() { for r in h.levels[l].rows { children[parentOf[r]].append(r) } }
        let top = h.levels[chainLevels[0]].rows
        var bottoms = Matrix(rows: nb, columns: base.columns)
        var rec = [Double](repeating: 0, count: n)
        for c in 0..<base.columns {
            let y = base.column(c), o = c * n
            for r in top { rec[r] = y[o + r] }
            for l in chainLevels.dropLast() {
                for p in h.levels[l].rows {
                    let kids = children[p]
                    var sum = 0.0
                    for k in kids { sum += y[o + k] }
                    for k in kids { rec[k] = abs(sum) < 1e-8 ? rec[p] / Double(kids.count) : y[o + k] * rec[p] / sum }
                }
            }
            for j in 0..<nb { bottoms.storage[c * nb + j] = rec[na + j] }
        }
        return h.aggregate(bottoms)
    }

    // MARK: helpers

    func check(_ base: Matrix) throws(ForecastError) {
        guard base.rows == hierarchy.count else {
            throw .invalidInput("reconciliation: base forecasts have \(base.rows) rows for a hierarchy of \(hierarchy.count) series")
        }
    }

    /// The bottom block of a `count × k` matrix.
    func bottomRows(of m: Matrix) -> Matrix {
        let n = hierarchy.count, na = hierarchy.aggregateCount, nb = hierarchy.bottomCount
        var out = Matrix(rows: nb, columns: m.columns)
        for c in 0..<m.columns { for j in 0..<nb { out.storage[c * nb + j] = m.storage[c * n + na + j] } }
        return out
    }
}
