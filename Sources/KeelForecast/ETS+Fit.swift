import KeelNumerics

/// Maximum-likelihood estimation of one ETS specification (forecast::ets's `etsmodel`).
///
/// Estimated vector: the free smoothing parameters (α, β, γ, φ) then ℓ₀, b₀ and m − 1 seasonal
/// states (the m-th is fixed by Σs = 0 additive / Σs = m multiplicative). Objective: −2 log L up
/// to a constant, n log(SSE/n) (+ 2Σ log|μₜ| with multiplicative errors), n the observed count.
/// Constraints (forecast::ets `bounds = "both"`):
/// - "usual": 1e-4 ≤ α ≤ 0.9999, 1e-4 ≤ β ≤ α, 1e-4 ≤ γ ≤ 1 − α, 0.8 ≤ φ ≤ 0.98 — the boxes by
///   clamping inside Nelder–Mead, the coupled ones by an infinite penalty;
/// - "admissible": the forecastability region of Hyndman et al. (2008, ch. 10), for seasonal
///   models through the roots of the characteristic polynomial (Schur–Cohn test);
/// - multiplicative seasonal states must stay ≥ 0.
/// Starting values as forecast::ets `initparam`: α = 1e-4 + 0.2(0.9998)/m, β and γ a tenth and a
/// twentieth of their range, φ = 0.9782. Information criteria with k = free quantities + 1 (σ²):
/// AIC = −2log L + 2k, AICc = AIC + 2k(k+1)/(n−k−1), BIC = −2log L + k log n.
extension ETSModel {
    static let lowerBound = 1e-4, upperBound = 0.9999, phiLower = 0.8, phiUpper = 0.98

    func fitETS(_ y: [Double], seasonLength: Int, name: String? = nil) throws(ForecastError) -> FittedETS {
        let label = spec.description
        guard seasonLength >= 1 else { throw .invalidInput("\(label): season length \(seasonLength) < 1") }
        if spec.hasSeason && seasonLength == 1 { throw .invalidInput("\(label): a seasonal model needs a season length > 1") }
        if spec.hasSeason && seasonLength > 24 { throw .invalidInput("\(label): season length \(seasonLength) > 24 is not supported") }
        let m = spec.hasSeason ? seasonLength : 1
        let observedValues = y.filter { !$0.isNaN }
        let nObs = observedValues.count
        if observedValues.contains(where: { !$0.isFinite }) { throw .invalidInput("\(label): infinite value in the series") }
        if (spec.error == .multiplicative || spec.season == .multiplicative) && observedValues.contains(where: { $0 <= 0 }) {
            throw .invalidInput("\(label): multiplicative components need strictly positive data")
        }
        let nSmoothing = 1 + (spec.hasTrend ? 1 : 0) + (spec.hasSeason ? 1 : 0) + (spec.damped ? 1 : 0)
        let nState = 1 + (spec.hasTrend ? 1 : 0) + (spec.hasSeason ? m - 1 : 0)
        let k = nSmoothing + nState + 1
        guard nObs >= k + 1, nObs >= 3, !spec.hasSeason || y.count > m else {
            throw .tooShort(model: label, needed: max(k + 1, 3, spec.hasSeason ? m + 1 : 0), got: nObs)
        }
        guard let firstObserved = y.firstIndex(where: { !$0.isNaN }) else { throw .tooShort(model: label, needed: k + 1, got: 0) }
        let yy = Array(y[firstObserved...])

        let initial = try ETSInitialization.initialStates(yy, seasonLength: m, spec: spec)

        // Starting parameters (initparam) and which are free.
        let lo = Self.lowerBound, hi = Self.upperBound
        let a0 = alpha ?? (lo + 0.2 * (hi - lo) / Double(m))
        let b0 = beta ?? (lo + 0.1 * (min(hi, a0) - lo))
        let g0 = gamma ?? (lo + 0.05 * (min(hi, 1 - a0) - lo))
        let p0 = phi ?? (Self.phiLower + 0.99 * (Self.phiUpper - Self.phiLower))
        var start: [Double] = [], lower: [Double] = [], upper: [Double] = []
        if alpha == nil { start.append(a0); lower.append(lo); upper.append(hi) }
        if spec.hasTrend && beta == nil { start.append(b0); lower.append(lo); upper.append(hi) }
        if spec.hasSeason && gamma == nil { start.append(g0); lower.append(lo); upper.append(hi) }
        if spec.damped && phi == nil { start.append(p0); lower.append(Self.phiLower); upper.append(Self.phiUpper) }
        let nFree = start.count
        start.append(initial.level)
        if spec.hasTrend { start.append(initial.trend) }
        if spec.hasSeason { for j in 0..<(m - 1) { start.append(initial.seasons[m - 1 - j]) } }
        while lower.count < start.count { lower.append(-.infinity); upper.append(.infinity) }

        let spec = self.spec
        let fixed = (alpha: alpha, beta: beta, gamma: gamma, phi: phi)
        let normaliser = spec.season == .multiplicative ? Double(m) : 0
        let multiplicativeError = spec.error == .multiplicative
        func decode(_ x: UnsafeBufferPointer<Double>, ring: UnsafeMutableBufferPointer<Double>) -> (ETSParameters, Double, Double, Bool) {
            var j = 0
            var p = ETSParameters(alpha: 0)
            if let a = fixed.alpha { p.alpha = a } else { p.alpha = x[j]; j += 1 }
            if spec.hasTrend { if let b = fixed.beta { p.beta = b } else { p.beta = x[j]; j += 1 } }
            if spec.hasSeason { if let g = fixed.gamma { p.gamma = g } else { p.gamma = x[j]; j += 1 } }
            if spec.damped { if let f = fixed.phi { p.phi = f } else { p.phi = x[j]; j += 1 } }
            let l = x[nFree]
            let b = spec.hasTrend ? x[nFree + 1] : 0
            var ok = true
            if spec.hasSeason {
                let base = nFree + 1 + (spec.hasTrend ? 1 : 0)
                var sum = 0.0
                for i in 0..<(m - 1) {
                    let s = x[base + i]
                    ring[m - 1 - i] = s
                    sum += s
                }
                ring[0] = normaliser - sum
                if spec.season == .multiplicative {
                    for i in 0..<m where ring[i] < 0 { ok = false }
                }
            } else {
                ring[0] = 0
            }
            return (p, l, b, ok)
        }

        let nyy = yy.count
        var ring = [Double](repeating: 0, count: m)
        var schur = [Double](repeating: 0, count: 2 * (m + 2))
        let result = yy.withUnsafeBufferPointer { yb in
            ring.withUnsafeMutableBufferPointer { rb in
                schur.withUnsafeMutableBufferPointer { wb in
                    optimizer.minimize(start: start, lower: lower, upper: upper) { x in
                        let (p, l, b, ok) = decode(x, ring: rb)
                        guard ok, ETSAdmissibility.check(p, spec: spec, m: m, work: wb) else { return .infinity }
                        let o = ETSRecursion(spec: spec, parameters: p, seasonLength: m).run(yb, level: l, trend: b, ring: rb)
                        guard o.finite else { return .infinity }
                        return max(ETSRecursion.minus2LogLikelihood(o, multiplicative: multiplicativeError), -1e10)
                    }
                }
            }
        }
        guard result.value.isFinite else {
            throw .noConvergence(model: label)
        }

        // Final pass: states, fitted values, residuals.
        var fittedTail = [Double](repeating: .nan, count: nyy)
        var residualTail = [Double](repeating: .nan, count: nyy)
        var initialSeasons: [Double] = []
        let (p, l0, bInit, outcome): (ETSParameters, Double, Double, ETSRecursion.Outcome) =
            result.x.withUnsafeBufferPointer { xb in
                ring.withUnsafeMutableBufferPointer { rb in
                    let (p, l, b, _) = decode(xb, ring: rb)
                    initialSeasons = spec.hasSeason ? Array(rb) : []
                    let o = yy.withUnsafeBufferPointer { yb in
                        fittedTail.withUnsafeMutableBufferPointer { fb in
                            residualTail.withUnsafeMutableBufferPointer { eb in
                                ETSRecursion(spec: spec, parameters: p, seasonLength: m).run(yb, level: l, trend: b, ring: rb, fitted: fb, residuals: eb)
                            }
                        }
                    }
                    return (p, l, b, o)
                }
            }
        guard outcome.finite else { throw .degenerate(model: label, reason: "non-finite states at the optimum") }
        let lik = ETSRecursion.minus2LogLikelihood(outcome, multiplicative: multiplicativeError)
        let n = Double(nObs), kd = Double(k)
        let aic = lik + 2 * kd
        let aicc = nObs - k - 1 > 0 ? aic + 2 * kd * (kd + 1) / (n - kd - 1) : .infinity
        let bic = lik + _log(n) * kd
        let sigma2 = outcome.sse / Double(max(1, nObs - k - 1))
        let lead = [Double](repeating: .nan, count: firstObserved)
        var finalParameters = p
        if !spec.damped { finalParameters.phi = 1 }
        return FittedETS(
            name: name ?? self.name, spec: spec, parameters: finalParameters, seasonLength: m,
            initialLevel: l0, initialTrend: bInit, initialSeasons: initialSeasons,
            finalLevel: outcome.level, finalTrend: outcome.trend, finalSeasons: spec.hasSeason ? ring : [],
            sigma2: sigma2, minus2LogLikelihood: lik, parameterCount: k, observedCount: nObs,
            aic: aic, aicc: aicc, bic: bic, fitted: lead + fittedTail, residuals: lead + residualTail)
    }
}

/// forecast::ets's `admissible` plus the "usual" coupled bounds β ≤ α, γ ≤ 1 − α.
enum ETSAdmissibility {
    /// `work` needs 2(m + 2) slots (the characteristic polynomial's coefficients).
    static func check(_ p: ETSParameters, spec: ETSSpec, m: Int, work: UnsafeMutableBufferPointer<Double>) -> Bool {
        let alpha = p.alpha
        let beta = spec.hasTrend ? p.beta : 0
        let phi = spec.damped ? p.phi : 1
        // Usual.
        if spec.hasTrend && beta > alpha { return false }
        if spec.hasSeason && p.gamma > 1 - alpha { return false }
        // Admissible.
        if phi < 0 || phi > 1 + 1e-8 { return false }
        if !spec.hasSeason {
            if alpha < 1 - 1 / phi || alpha > 1 + 1 / phi { return false }
            if spec.hasTrend && (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha)) { return false }
            return true
        }
        guard m > 1 else { return true }
        let gamma = p.gamma
        let md = Double(m)
        if gamma < max(1 - 1 / phi - alpha, 0) || gamma > 1 + 1 / phi - alpha { return false }
        if alpha < 1 - 1 / phi - gamma * (1 - md + phi + phi * md) / (2 * phi * md) { return false }
        if beta < -(1 - phi) * (gamma / md + alpha) { return false }
        // Characteristic polynomial (low to high degree, degree m + 1): all roots |z| ≤ 1 + 1e-10.
        let d = m + 1
        work[0] = phi * (1 - alpha - gamma)
        work[1] = alpha + beta - alpha * phi + gamma - 1
        for i in 2..<m { work[i] = alpha + beta - alpha * phi }
        work[m] = alpha + beta - phi
        work[d] = 1
        return schurStable(work, degree: d, radius: 1 + 1e-10)
    }

    /// Schur–Cohn: every root of Σ aᵢzⁱ (i = 0…degree, in `a`) has |z| < radius. Reduction
    /// p ↦ (a_d p − a₀ p*)/z preserves stability while |a₀| < |a_d|. `a` needs 2(degree + 1)
    /// slots (the second half is scratch) and is overwritten. O(degree²), no allocation.
    static func schurStable(_ a: UnsafeMutableBufferPointer<Double>, degree: Int, radius: Double) -> Bool {
        var scale = 1.0
        for i in 0...degree { a[i] *= scale; scale *= radius }
        let b = degree + 1
        var d = degree
        while d >= 1 {
            let a0 = a[0], ad = a[d]
            if !(abs(a0) < abs(ad)) { return false }
            for k in 0..<d { a[b + k] = ad * a[k + 1] - a0 * a[d - 1 - k] }
            d -= 1
            let lead = a[b + d]
            if lead == 0 || !lead.isFinite { return false }
            for k in 0...d { a[k] = a[b + k] / lead }
        }
        return true
    }
}
