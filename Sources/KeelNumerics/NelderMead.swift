/// A deterministic, bounded Nelder–Mead simplex minimiser (after the usage in R's `optim` and
/// statsforecast's `_ets` optimiser).
///
/// - Start: the simplex is `x₀` (clamped into the box) plus, for each coordinate i, a vertex with
///   `xᵢ` scaled by `1 + initialStep` (or set to `zeroStep` when `xᵢ = 0`), clamped.
/// - Moves: reflection (coefficient 1), expansion, outside and inside contraction, shrink towards
///   the best vertex. With `adaptive` the coefficients depend on the dimension n (Gao & Han 2012):
///   expansion 1 + 2/n, contraction 0.75 − 1/(2n), shrink 1 − 1/n; otherwise 2, ½, ½.
/// - Bounds: every trial point is clamped coordinate-wise into `[lower, upper]` (±∞ allowed).
///   Other constraints belong in the objective as a penalty (return `.infinity`).
/// - Stop: when the population standard deviation of the n + 1 vertex values falls below
///   `tolerance + relativeTolerance × |best value|`, or after `maxIterations` iterations.
///
/// Deterministic: no randomness; ties are broken by vertex index. Allocation: O(n²) once per
/// call; the objective receives a buffer that is reused between evaluations, so a
/// non-allocating objective keeps the whole minimisation allocation-free after setup.
/// Complexity: O(n) objective evaluations per iteration (n + 1 on a shrink) plus O(n²) arithmetic.
public struct NelderMead: Sendable, Hashable {
    public var initialStep: Double
    public var zeroStep: Double
    public var tolerance: Double
    /// Added to `tolerance` in proportion to the best value (0: the absolute test alone).
    public var relativeTolerance: Double
    public var maxIterations: Int
    public var adaptive: Bool

    public init(initialStep: Double = 0.05, zeroStep: Double = 1e-4, tolerance: Double = 1e-4, relativeTolerance: Double = 0,
                maxIterations: Int = 1000, adaptive: Bool = true) {
        self.initialStep = initialStep
        self.zeroStep = zeroStep
        self.tolerance = tolerance
        self.relativeTolerance = relativeTolerance
        self.maxIterations = maxIterations
        self.adaptive = adaptive
    }

    public struct Result: Sendable, Hashable {
        /// The best vertex found.
        public var x: [Double]
        /// The objective at `x`.
        public var value: Double
        public var iterations: Int
        public var evaluations: Int
        /// True when the spread criterion was met before `maxIterations`.
        public var converged: Bool
    }

    /// Minimises `objective` from `start` within the box `[lower, upper]`.
    /// `lower` and `upper` must have `start.count` entries with `lower ≤ upper`; NaN objective
    /// values are treated as +∞.
    public func minimize(start: [Double], lower: [Double], upper: [Double],
                         _ objective: (UnsafeBufferPointer<Double>) -> Double) -> Result {
        let n = start.count
        precondition(lower.count == n && upper.count == n, "NelderMead: bounds of the wrong length")
        let nd = Double(max(n, 1))
        let cReflect = 1.0
        let cExpand = adaptive ? 1 + 2 / nd : 2
        let cContract = adaptive ? 0.75 - 1 / (2 * nd) : 0.5
        let cShrink = adaptive ? 1 - 1 / nd : 0.5

        // Vertex v occupies simplex[v*n ..< (v+1)*n].
        var simplex = [Double](repeating: 0, count: (n + 1) * n)
        var values = [Double](repeating: 0, count: n + 1)
        var centroid = [Double](repeating: 0, count: n)
        var trial = [Double](repeating: 0, count: n)
        var trial2 = [Double](repeating: 0, count: n)
        var evaluations = 0
        var iterations = 0
        var converged = false

        @inline(__always) func clamp(_ x: Double, _ i: Int) -> Double { min(max(x, lower[i]), upper[i]) }
        func evaluate(_ p: UnsafeMutableBufferPointer<Double>) -> Double {
            evaluations += 1
            let v = objective(UnsafeBufferPointer(p))
            return v.isNaN ? .infinity : v
        }

        simplex.withUnsafeMutableBufferPointer { s in
            for v in 0...n {
                for i in 0..<n { s[v * n + i] = clamp(start[i], i) }
            }
            for i in 0..<n {
                let x = s[(i + 1) * n + i]
                s[(i + 1) * n + i] = clamp(x == 0 ? zeroStep : x * (1 + initialStep), i)
            }
            trial.withUnsafeMutableBufferPointer { t in
                for v in 0...n {
                    for i in 0..<n { t[i] = s[v * n + i] }
                    values[v] = evaluate(t)
                }
            }
        }
        if n == 0 { return Result(x: [], value: values[0], iterations: 0, evaluations: evaluations, converged: true) }

        simplex.withUnsafeMutableBufferPointer { s in
        centroid.withUnsafeMutableBufferPointer { c in
        trial.withUnsafeMutableBufferPointer { r in
        trial2.withUnsafeMutableBufferPointer { e in
        values.withUnsafeMutableBufferPointer { f in
            while iterations < maxIterations {
                // Spread test (population standard deviation of the vertex values).
                var mean = 0.0
                for v in 0...n { mean += f[v] }
                mean /= Double(n + 1)
                var ss = 0.0
                for v in 0...n { ss += (f[v] - mean) * (f[v] - mean) }
                var lowest = f[0]
                for v in 1...n where f[v] < lowest { lowest = f[v] }
                if (ss / Double(n + 1)).squareRoot() < tolerance + relativeTolerance * abs(lowest) { converged = true; break }
                iterations += 1

                // Best (first minimum), worst (a maximum other than best), second worst.
                var best = 0
                for v in 1...n where f[v] < f[best] { best = v }
                var worst = best == 0 ? 1 : 0
                for v in 0...n where v != best && f[v] >= f[worst] { worst = v }
                var second = best
                for v in 0...n where v != worst && v != best && (second == best || f[v] > f[second]) { second = v }

                // Centroid of all but the worst.
                for i in 0..<n { c[i] = 0 }
                for v in 0...n where v != worst {
                    for i in 0..<n { c[i] += s[v * n + i] }
                }
                for i in 0..<n { c[i] /= nd }

                @inline(__always) func replaceWorst(_ p: UnsafeMutableBufferPointer<Double>, _ value: Double) {
                    for i in 0..<n { s[worst * n + i] = p[i] }
                    f[worst] = value
                }

                for i in 0..<n { r[i] = clamp(c[i] + cReflect * (c[i] - s[worst * n + i]), i) }
                let fr = evaluate(r)
                if fr < f[best] {
                    for i in 0..<n { e[i] = clamp(c[i] + cExpand * (r[i] - c[i]), i) }
                    let fe = evaluate(e)
                    if fe < fr { replaceWorst(e, fe) } else { replaceWorst(r, fr) }
                    continue
                }
                if fr < f[second] { replaceWorst(r, fr); continue }
                if fr < f[worst] {
                    // Outside contraction.
                    for i in 0..<n { e[i] = clamp(c[i] + cContract * (r[i] - c[i]), i) }
                    let fc = evaluate(e)
                    if fc <= fr { replaceWorst(e, fc); continue }
                } else {
                    // Inside contraction.
                    for i in 0..<n { e[i] = clamp(c[i] + cContract * (s[worst * n + i] - c[i]), i) }
                    let fc = evaluate(e)
                    if fc < f[worst] { replaceWorst(e, fc); continue }
                }
                // Shrink towards the best vertex.
                for v in 0...n where v != best {
                    for i in 0..<n {
                        let x = clamp(s[best * n + i] + cShrink * (s[v * n + i] - s[best * n + i]), i)
                        s[v * n + i] = x
                        r[i] = x
                    }
                    f[v] = evaluate(r)
                }
            }
        }}}}}

        var best = 0
        for v in 1...n where values[v] < values[best] { best = v }
        return Result(x: Array(simplex[best * n ..< (best + 1) * n]), value: values[best],
                      iterations: iterations, evaluations: evaluations, converged: converged)
    }
}
