/// Simple exponential smoothing kernels shared by the intermittent-demand models, exactly as
/// statsforecast's `src/ses.cpp`. All run over contiguous buffers without allocating.
enum IntermittentSmoothing {
    /// One-step SES forecast after the last value: f₁ = x₀, fᵢ₊₁ = αxᵢ + (1 − α)fᵢ, returning
    /// f after x_{n−1} (x₀ itself when n = 1). `fitted`, when given (n entries), receives fᵢ with
    /// f₀ = NaN (statsforecast `ses_forecast`).
    static func forecast(_ x: UnsafeBufferPointer<Double>, alpha: Double, fitted: UnsafeMutableBufferPointer<Double>? = nil) -> Double {
        let n = x.count
        precondition(n >= 1)
        fitted?[0] = .nan
        if n == 1 { return x[0] }
        var f = x[0]
        for i in 1..<n {
            f = alpha * x[i - 1] + (1 - alpha) * f
            fitted?[i] = f
        }
        return alpha * x[n - 1] + (1 - alpha) * f
    }

    /// Σ (xᵢ − fᵢ)² for i ≥ 1 (statsforecast `ses_sse`); 0 for fewer than 2 values.
    static func sse(_ x: UnsafeBufferPointer<Double>, alpha: Double) -> Double {
        guard x.count >= 2 else { return 0 }
        var f = x[0], s = 0.0
        for i in 1..<x.count {
            f = alpha * x[i - 1] + (1 - alpha) * f
            let e = x[i] - f
            s += e * e
        }
        return s
    }

    /// α minimising `sse` on [lower, upper] by golden-section search to |b − a| < 1e-12, stopping
    /// early on an exact tie (statsforecast `golden_section_ses`; 0.2 for fewer than 2 values).
    static func optimalAlpha(_ x: UnsafeBufferPointer<Double>, lower: Double = 0.1, upper: Double = 0.3) -> Double {
        ScalarMinimizer.goldenSection(lower: lower, upper: upper) { sse(x, alpha: $0) }
    }

    /// statsforecast `chunk_forecast`: the sums of consecutive chunks of k values (dropping the
    /// n mod k oldest), forecast by SES at the golden-section α; the last value when there is no
    /// whole chunk, the only sum when there is one. `scratch` holds ≥ n/k values.
    static func chunkForecast(_ y: UnsafeBufferPointer<Double>, level k: Int, scratch: UnsafeMutableBufferPointer<Double>,
                              fitted: UnsafeMutableBufferPointer<Double>? = nil) -> Double {
        let n = y.count, lost = n % k, chunks = (n - lost) / k
        guard chunks >= 1 else { return y[n - 1] }
        for c in 0..<chunks {
            var s = 0.0
            let base = lost + c * k
            for j in 0..<k { s += y[base + j] }
            scratch[c] = s
        }
        let sums = UnsafeBufferPointer(rebasing: scratch[0..<chunks])
        guard chunks > 1 else { fitted?[0] = .nan; return sums[0] }
        let alpha = optimalAlpha(sums)
        return forecast(sums, alpha: alpha, fitted: fitted.map { UnsafeMutableBufferPointer(rebasing: $0[0..<chunks]) })
    }
}

/// A one-dimensional bounded minimiser (kept in KeelForecast under a name that cannot collide
/// with KeelNumerics' optimisers).
enum ScalarMinimizer {
    /// Golden-section search for a minimum of a unimodal f on [lower, upper]: shrinks the bracket
    /// by 1/φ per evaluation until |b − a| < `tolerance` or the two interior values tie exactly;
    /// returns the bracket's midpoint. About 55 evaluations for a bracket of 0.2 and 1e-12.
    static func goldenSection(lower: Double, upper: Double, tolerance: Double = 1e-12, _ f: (Double) -> Double) -> Double {
        let gr = (5.0.squareRoot() + 1) / 2
        var a = lower, b = upper
        var c = b - (b - a) / gr, d = a + (b - a) / gr
        var fc = f(c), fd = f(d)
        var iterations = 0
        while abs(b - a) >= tolerance && iterations < 500 {
            iterations += 1
            if fc < fd {
                b = d; d = c; fd = fc
                c = b - (b - a) / gr
                fc = f(c)
            } else if fd < fc {
                a = c; c = d; fc = fd
                d = a + (b - a) / gr
                fd = f(d)
            } else {
                break
            }
        }
        return (b + a) / 2
    }
}
