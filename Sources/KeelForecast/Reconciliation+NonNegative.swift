import KeelNumerics

extension Reconciler {
    /// Non-negative MinT bottoms: for each horizon step, the exact minimiser of
    /// `½ bᵀ G b − aᵀ b` over `b ≥ 0` with `G = SᵀW⁻¹S`, `a = SᵀW⁻¹ŷ` (Lawson–Hanson active set).
    /// `start` are the unconstrained bottoms (warm start: their positive part). O(n_b²) to form `G`
    /// for a diagonal `W` (O(n² n_b) for a dense one), then O(|P|³) per active-set change.
    func nonnegativeBottoms(_ y: Matrix, weights: MinTraceWeights, start: Matrix) throws(ForecastError) -> Matrix {
        let h = hierarchy, n = h.count, na = h.aggregateCount, nb = h.bottomCount
        var g = Matrix(rows: nb, columns: nb)
        var a = Matrix(rows: nb, columns: y.columns)
        switch weights {
        case .diagonal(let d):
            for j in 0..<nb { g.storage[j * nb + j] = 1 / d[na + j] }
            for p in 0..<na {
                let m = h.members(ofAggregate: p), w = 1 / d[p]
                for j in m { for k in m { g.storage[k * nb + j] += w } }
            }
            for c in 0..<y.columns {
                for j in 0..<nb {
                    var s = y.storage[c * n + na + j] / d[na + j]
                    for p in h.ancestors(ofBottom: j) { s += y.storage[c * n + p] / d[p] }
                    a.storage[c * nb + j] = s
                }
            }
        case .dense(let w):
            let s = h.denseSummingMatrix
            let winvS: Matrix
            do { winvS = try w.choleskySolve(s) } catch {
                throw .degenerate(model: "MinT", reason: "W is not positive definite (\(error))")
            }
            Matrix.gemm(s, winvS, transposeA: true, into: &g)
            Matrix.gemm(winvS, y, transposeA: true, into: &a)
        }
        var out = Matrix(rows: nb, columns: y.columns)
        for c in 0..<y.columns {
            let b = try lawsonHanson(g, Array(a.column(c)), start: Array(start.column(c)))
            for j in 0..<nb { out.storage[c * nb + j] = b[j] }
        }
        return out
    }

    /// Lawson–Hanson for `min ½ xᵀGx − aᵀx, x ≥ 0` with `G` symmetric positive definite.
    func lawsonHanson(_ g: Matrix, _ a: [Double], start: [Double]) throws(ForecastError) -> [Double] {
        let nb = a.count
        var x = start.map { max(0, $0) }
        var passive = x.map { $0 > 0 }
        let tol = 1e-11 * max(1, a.map(abs).max() ?? 1)
        func solvePassive() throws(ForecastError) -> [Double] {
            let idx = (0..<nb).filter { passive[$0] }
            var s = [Double](repeating: 0, count: nb)
            guard !idx.isEmpty else { return s }
            var sub = Matrix(rows: idx.count, columns: idx.count)
            for (cj, j) in idx.enumerated() { for (ci, i) in idx.enumerated() { sub.storage[cj * idx.count + ci] = g.storage[j * nb + i] } }
            let sol: [Double]
            do { sol = try sub.choleskySolve(idx.map { a[$0] }) } catch {
                throw .degenerate(model: "MinT", reason: "non-negative QP: SᵀW⁻¹S is not positive definite (\(error))")
            }
            for (k, j) in idx.enumerated() { s[j] = sol[k] }
            return s
        }
        for _ in 0..<(3 * nb + 10) {
            // Inner loop: move toward the passive-set optimum while staying feasible.
            while passive.contains(true) {
                let s = try solvePassive()
                if (0..<nb).allSatisfy({ !passive[$0] || s[$0] > 0 }) { x = s; break }
                var alpha = 1.0
                for j in 0..<nb where passive[j] && s[j] <= 0 { alpha = min(alpha, x[j] / (x[j] - s[j])) }
                for j in 0..<nb where passive[j] {
                    x[j] += alpha * (s[j] - x[j])
                    if x[j] <= 0 || (s[j] <= 0 && x[j] <= 1e-15 * max(1, abs(s[j]))) { x[j] = 0; passive[j] = false }
                }
            }
            // Dual check: w = a − G x must be ≤ 0 on the active set.
            var best = -1, bestW = tol
            for j in 0..<nb where !passive[j] {
                var w = a[j]
                for k in 0..<nb where x[k] != 0 { w -= g.storage[k * nb + j] * x[k] }
                if w > bestW { bestW = w; best = j }
            }
            if best < 0 { return x }
            passive[best] = true
        }
        throw .noConvergence(model: "MinT non-negative (Lawson–Hanson)")
    }
}
