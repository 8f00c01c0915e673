#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif

/// The standard normal distribution and its loss functions, to full double precision.
public enum StandardNormal {
    /// φ(z).
    public static func pdf(_ z: Double) -> Double { exp(-0.5 * z * z) / (2 * Double.pi).squareRoot() }

    /// Φ(z) through libm's erfc (accurate in both tails).
    public static func cdf(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// 1 − Φ(z) without cancellation.
    public static func survival(_ z: Double) -> Double { 0.5 * erfc(z / 2.0.squareRoot()) }

    /// First-order loss G₁(z) = E[(Z − z)⁺] = φ(z) − z(1 − Φ(z)).
    public static func loss(_ z: Double) -> Double { max(0, pdf(z) - z * survival(z)) }

    /// Second-order loss G₂(z) = ∫_z^∞ G₁(t) dt = E[((Z − z)⁺)²] / 2 = ½[(z² + 1)(1 − Φ(z)) − zφ(z)].
    public static func secondOrderLoss(_ z: Double) -> Double {
        if z > 8 { return 0 }
        if z < -8 { return 0.5 * (z * z + 1) }  // (1 − Φ) = 1 and zφ(z) < 1e-13 there
        return max(0, 0.5 * ((z * z + 1) * survival(z) - z * pdf(z)))
    }

    /// Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation (relative error 1.15e-9) refined by
    /// one Halley step (about 1e-15). ∓∞ at 0 and 1, NaN outside.
    public static func quantile(_ p: Double) -> Double {
        guard p > 0, p < 1 else { return p == 0 ? -.infinity : p == 1 ? .infinity : .nan }
        let a = (
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01,
            2.506628277459239e+00
        )
        let b = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01)
        let c = (
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00,
            2.938163982698783e+00
        )
        let d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00)
        func tail(_ q: Double) -> Double {
            (((((c.0 * q + c.1) * q + c.2) * q + c.3) * q + c.4) * q + c.5) / ((((d.0 * q + d.1) * q + d.2) * q + d.3) * q + 1)
        }
        let low = 0.02425
        var x: Double
        if p < low {
            x = tail((-2 * log(p)).squareRoot())
        } else if p <= 1 - low {
            let q = p - 0.5, r = q * q
            x =
                (((((a.0 * r + a.1) * r + a.2) * r + a.3) * r + a.4) * r + a.5) * q
                / (((((b.0 * r + b.1) * r + b.2) * r + b.3) * r + b.4) * r + 1)
        } else {
            x = -tail((-2 * log(1 - p)).squareRoot())
        }
        let e = p < 0.5 ? cdf(x) - p : (1 - p) - survival(x)  // Φ(x) − p, without cancellation
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }
}
