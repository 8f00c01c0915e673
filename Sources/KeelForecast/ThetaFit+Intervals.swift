#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ThetaFit {
    /// The distribution statsforecast's `compute_pi_samples` simulates, in closed form.
    ///
    /// statsforecast draws 200 paths: at step i = n…n + h − 1 the sample is
    /// sᵢ = ℓ + (1 − 1/θ)(A(1 − α)ⁱ + B(1 − (1 − α)ⁱ⁺¹)/α) + εᵢ, εᵢ ~ N(0, σ²), and then updates
    /// ℓ ← αsᵢ + (1 − α)ℓ, ȳ ← (iȳ + sᵢ)/(i + 1), B ← ((i − 1)B + 6(sᵢ − ȳ)/(i + 1))/(i + 2),
    /// A ← ȳ − B(i + 2)/2 (the dynamic update, for every variant, with the new ȳ), starting
    /// from the last state and ȳ = mean(y). Every update is linear in the ε, so sᵢ is exactly
    /// Normal: its mean is the path with ε = 0 (`centre`) and its variance σ²·Σₖ cᵢₖ² with cᵢₖ
    /// the coefficient of εₖ, propagated alongside. O(h²) time, O(h) memory. statsforecast's
    /// quantiles of 200 draws (float32) scatter around these by the Monte Carlo error.
    func intervalPaths(horizon: Int) -> (centre: [Double], variance: [Double]) {
        var centre = [Double](repeating: 0, count: horizon)
        var variance = [Double](repeating: 0, count: horizon)
        guard horizon > 0 else { return (centre, variance) }
        // Values and ε-coefficient vectors of ℓ, ȳ, A, B.
        var level = last.level, meanY = self.meanY, a = last.a, b = last.b
        var cl = [Double](repeating: 0, count: horizon)
        var cm = cl, ca = cl, cb = cl, cs = cl
        let w = 1 - 1 / theta
        for j in 0..<horizon {
            let i = Double(n + j)
            let p = pow(1 - alpha, i), q = (1 - pow(1 - alpha, i + 1)) / alpha
            let s = level + w * (a * p + b * q)
            var v = 0.0
            for k in 0...j {
                cs[k] = cl[k] + w * (ca[k] * p + cb[k] * q) + (k == j ? 1 : 0)
                v += cs[k] * cs[k]
            }
            centre[j] = s
            variance[j] = sigma * sigma * v
            level = alpha * s + (1 - alpha) * level
            meanY = (i * meanY + s) / (i + 1)
            b = ((i - 1) * b + 6 * (s - meanY) / (i + 1)) / (i + 2)
            a = meanY - b * (i + 2) / 2
            for k in 0...j {
                cl[k] = alpha * cs[k] + (1 - alpha) * cl[k]
                cm[k] = (i * cm[k] + cs[k]) / (i + 1)
                cb[k] = ((i - 1) * cb[k] + 6 * (cs[k] - cm[k]) / (i + 1)) / (i + 2)
                ca[k] = cm[k] - cb[k] * (i + 2) / 2
            }
        }
        return (centre, variance)
    }
}
