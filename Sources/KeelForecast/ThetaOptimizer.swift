/// The bounded Nelder–Mead statsforecast uses for the Theta parameters
/// (`include/statsforecast/nelder_mead.h`, called with init_step 0.05, zero_pert 1e-4,
/// reflection 1, adaptive coefficients γ = 1 + 2/d, ρ = 0.75 − 1/(2d), σ = 1 − 1/d, at most
/// 1000 iterations, stopping when the population standard deviation of the simplex values is
/// below 1e-4). Every trial point is clamped to the box; the initial simplex scales each
/// coordinate by 1.05 in turn (1e-4 when it is 0). Returns the best vertex of the last ordering.
///
/// Kept inside KeelForecast (d ≤ 3, a few hundred evaluations) so it cannot clash with a general
/// optimiser in KeelNumerics. The simplex lives in flat buffers allocated once per call.
enum ThetaOptimizer {
    static func minimize(x0 start: [Double], lower: [Double], upper: [Double], maxIterations: Int = 1000,
                         tolerance: Double = 1e-4, _ f: ([Double]) -> Double) -> [Double] {
        let d = start.count
        func clamp(_ x: inout [Double]) { for k in 0..<d { x[k] = min(max(x[k], lower[k]), upper[k]) } }
        var x0 = start
        clamp(&x0)
        let gamma = 1 + 2 / Double(d), rho = 0.75 - 1 / (2 * Double(d)), shrink = 1 - 1 / Double(d)
        var simplex = [[Double]](repeating: x0, count: d + 1)
        for i in 0..<d {
            let v = simplex[i][i]
            simplex[i][i] = min(max(v == 0 ? 1e-4 : v * 1.05, lower[i]), upper[i])
        }
        var values = simplex.map(f)
        var order = Array(0...d)
        var best = 0
        var centroid = [Double](repeating: 0, count: d)
        var trial = centroid, trial2 = centroid
        for _ in 0..<maxIterations {
            var mean = 0.0
            for v in values { mean += v }
            mean /= Double(d + 1)
            var ss = 0.0
            for v in values { ss += (v - mean) * (v - mean) }
            if (ss / Double(d + 1)).squareRoot() < tolerance { break }

            order.sort { values[$0] < values[$1] }
            best = order[0]
            let worst = order[d], secondWorst = order[d - 1]
            for k in 0..<d {
                var s = 0.0
                for r in 0...d { s += simplex[r][k] }
                centroid[k] = (s - simplex[worst][k]) / Double(d)
            }
            // Reflection.
            for k in 0..<d { trial[k] = centroid[k] + (centroid[k] - simplex[worst][k]) }
            clamp(&trial)
            let fr = f(trial)
            if values[best] <= fr && fr < values[secondWorst] {
                simplex[worst] = trial; values[worst] = fr
                continue
            }
            // Expansion.
            if fr < values[best] {
                for k in 0..<d { trial2[k] = centroid[k] + gamma * (trial[k] - centroid[k]) }
                clamp(&trial2)
                let fe = f(trial2)
                if fe < fr { simplex[worst] = trial2; values[worst] = fe } else { simplex[worst] = trial; values[worst] = fr }
                continue
            }
            // Outside or inside contraction.
            if values[secondWorst] <= fr && fr < values[worst] {
                for k in 0..<d { trial2[k] = centroid[k] + rho * (trial[k] - centroid[k]) }
                clamp(&trial2)
                let fc = f(trial2)
                if fc <= fr { simplex[worst] = trial2; values[worst] = fc; continue }
            } else {
                for k in 0..<d { trial2[k] = centroid[k] - rho * (trial[k] - centroid[k]) }
                clamp(&trial2)
                let fc = f(trial2)
                if fc < values[worst] { simplex[worst] = trial2; values[worst] = fc; continue }
            }
            // Shrink towards the best vertex (statsforecast shrinks rows 1…d, whichever is best).
            for r in 1...d {
                for k in 0..<d { simplex[r][k] = simplex[best][k] + shrink * (simplex[r][k] - simplex[best][k]) }
                clamp(&simplex[r])
                values[r] = f(simplex[r])
            }
        }
        return simplex[best]
    }
}
