#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The count distribution behind the intermittent-demand models' quantiles: a negative binomial
/// with mean μ and variance v ≥ μ (a Poisson when v = μ).
///
/// Parameterised by size r = μ²/(v − μ) and p = r/(r + μ): P(0) = pʳ,
/// P(k + 1) = P(k)·(k + r)/(k + 1)·(1 − p); the Poisson limit P(k + 1) = P(k)·μ/(k + 1). The
/// quantile at level ℓ is the smallest integer k with F(k) ≥ ℓ − 1e-12, found by walking the
/// pmf in log space (no underflow for large μ); O(μ + 40·√v) per call. Above μ = 1e5 the walk is
/// replaced by the Normal approximation rounded to the nearest integer (clamped at 0).
public struct CountDistribution: Sendable, Equatable {
    public let mean: Double
    public let variance: Double

    /// `variance` below `mean` is raised to it (a count distribution cannot be under-dispersed
    /// here); a non-positive mean is the point mass at 0.
    public init(mean: Double, variance: Double) {
        self.mean = max(0, mean.isFinite ? mean : 0)
        let v = variance.isFinite ? variance : 0
        self.variance = max(v, self.mean)
    }

    /// Integer quantiles (≥ 0, non-decreasing in the level) at `levels`, each in (0, 1).
    public func quantiles(_ levels: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: levels.count)
        guard mean > 0 else { return out }
        if mean > 1e5 {
            let sd = variance.squareRoot()
            for (k, level) in levels.enumerated() { out[k] = max(0, (mean + Normal.quantile(level) * sd).rounded()) }
            return out
        }
        let order = levels.indices.sorted { levels[$0] < levels[$1] }
        let poisson = variance <= mean * (1 + 1e-9)
        let r = poisson ? 0 : mean * mean / (variance - mean)
        let logQ = poisson ? log(mean) : log(mean / (r + mean))  // log(1 − p) for the NB
        var logPmf = poisson ? -mean : r * log(r / (r + mean))
        let kMax = mean + 40 * variance.squareRoot() + 100
        var cdf = exp(logPmf)
        var k = 0.0
        for index in order {
            let target = levels[index] - 1e-12
            while cdf < target && k < kMax {
                logPmf += poisson ? logQ - log(k + 1) : log((k + r) / (k + 1)) + logQ
                k += 1
                cdf += exp(logPmf)
            }
            out[index] = k
        }
        return out
    }
}
