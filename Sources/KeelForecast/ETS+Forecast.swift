import KeelCore

/// Point forecasts and forecast-error variances (Hyndman et al. 2008, ch. 6).
///
/// Mean: μₙ₊ₕ = (ℓₙ + φₕbₙ) ⊕ sₙ₊ₕ₋ₘ₍ₖ₊₁₎ with φₕ = φ + … + φʰ (h when undamped), k = ⌊(h−1)/m⌋.
/// Variance vₕ:
/// - class 1 (additive error, no multiplicative season), exact (Table 6.1), k = ⌊(h−1)/m⌋:
///   ANN σ²[1 + α²(h−1)];  AAN σ²[1 + (h−1)(α² + αβh + β²h(2h−1)/6)];
///   AAdN σ²[1 + α²(h−1) + βφh(2α(1−φ)+βφ)/(1−φ)² − βφ(1−φʰ)(2α(1−φ²)+βφ(1+2φ−φʰ))/((1−φ)²(1−φ²))];
///   ANA adds γk(2α+γ) to ANN; AAA adds γk(2α+γ+βm(k+1)) to AAN; AAdA adds γk(2α+γ) +
///   2βγφ[k(1−φᵐ) − φᵐ(1−φᵐᵏ)]/((1−φ)(1−φᵐ)) to AAdN;
/// - class 2 (multiplicative error, no multiplicative season), exact:
///   vₕ = (1+σ²)θₕ − μₕ², θ₁ = μ₁², θₕ = μₕ² + σ² Σⱼ₌₁ʰ⁻¹ cⱼ²θₕ₋ⱼ with
///   cⱼ = α + β(φ + … + φʲ) + γ·[j mod m = 0] (β, γ zero when absent, φ = 1 undamped);
/// - multiplicative season (class 3 and the restricted additive-error ones): the sample
///   variance of 5,000 simulated paths with a fixed seed (deterministic; Monte-Carlo relative
///   error about 2% at these sizes). Quantiles are Normal around the mean with this variance,
///   as statsforecast does for classes 1–3.
extension FittedETS {
    public func forecast(horizon: Int) -> ModelForecast {
        guard horizon > 0 else { return ModelForecast(mean: [], variance: []) }
        let mean = pointForecasts(horizon)
        return ModelForecast(mean: mean, variance: variances(mean))
    }

    func pointForecasts(_ horizon: Int) -> [Double] {
        let phi = spec.damped ? parameters.phi : 1
        var phiH = 0.0, power = 1.0
        var out = [Double](repeating: 0, count: horizon)
        for h in 0..<horizon {
            power *= phi
            phiH += power
            var f = spec.hasTrend ? finalLevel + phiH * finalTrend : finalLevel
            switch spec.season {
            case .none: break
            case .additive: f += finalSeasons[h % seasonLength]
            case .multiplicative: f *= finalSeasons[h % seasonLength]
            }
            out[h] = f
        }
        return out
    }

    func variances(_ mean: [Double]) -> [Double] {
        let horizon = mean.count
        let a = parameters.alpha, b = spec.hasTrend ? parameters.beta : 0, g = spec.hasSeason ? parameters.gamma : 0
        let phi = spec.damped ? parameters.phi : 1
        let m = seasonLength, md = Double(m)
        let s2 = sigma2
        if spec.season == .multiplicative { return simulatedVariances(horizon) }
        if spec.error == .additive {
            return (1...horizon).map { hi in
                let h = Double(hi)
                let k = Double((hi - 1) / max(m, 1))
                var v: Double
                if !spec.hasTrend {
                    v = 1 + a * a * (h - 1)
                } else if !spec.damped {
                    v = 1 + (h - 1) * (a * a + a * b * h + b * b * h * (2 * h - 1) / 6)
                } else {
                    let e2 = b * phi * h / ((1 - phi) * (1 - phi))
                    let e3 = 2 * a * (1 - phi) + b * phi
                    let ph = _pow(phi, h)
                    let e4 = b * phi * (1 - ph) / ((1 - phi) * (1 - phi) * (1 - phi * phi))
                    let e5 = 2 * a * (1 - phi * phi) + b * phi * (1 + 2 * phi - ph)
                    v = 1 + a * a * (h - 1) + e2 * e3 - e4 * e5
                }
                if spec.season == .additive {
                    if spec.hasTrend && !spec.damped {
                        v += g * k * (2 * a + g + b * md * (k + 1))
                    } else {
                        v += g * k * (2 * a + g)
                        if spec.damped {
                            let pm = _pow(phi, md)
                            v += 2 * b * g * phi / ((1 - phi) * (1 - pm)) * (k * (1 - pm) - pm * (1 - _pow(phi, md * k)))
                        }
                    }
                }
                return s2 * v
            }
        }
        // Class 2.
        var c = [Double](repeating: 0, count: horizon)
        var phiSum = 0.0, power = 1.0
        for j in 1...horizon {
            power *= phi
            phiSum += power
            c[j - 1] = a + b * phiSum + (spec.hasSeason && j % m == 0 ? g : 0)
        }
        var theta = [Double](repeating: 0, count: horizon)
        var out = [Double](repeating: 0, count: horizon)
        for h in 0..<horizon {
            var sum = 0.0
            for j in 0..<h { sum += c[j] * c[j] * theta[h - 1 - j] }
            theta[h] = mean[h] * mean[h] + s2 * sum
            out[h] = (1 + s2) * theta[h] - mean[h] * mean[h]
        }
        return out
    }

    static let simulationPaths = 5_000
    static let simulationSeed: UInt64 = 2008

    /// Variance of `simulationPaths` sample paths of the fitted model (seeded, deterministic).
    func simulatedVariances(_ horizon: Int) -> [Double] {
        var rng = SeededRandom(seed: Self.simulationSeed)
        var sum = [Double](repeating: 0, count: horizon)
        var sumSq = [Double](repeating: 0, count: horizon)
        let sigma = max(sigma2, 0).squareRoot()
        let m = max(1, seasonLength)
        var ring = [Double](repeating: 0, count: m)
        var path = [Double](repeating: 0, count: horizon)
        let multiplicative = spec.error == .multiplicative
        for _ in 0..<Self.simulationPaths {
            var l = finalLevel, b = finalTrend
            for i in 0..<m { ring[i] = spec.hasSeason ? finalSeasons[i] : 0 }
            ring.withUnsafeMutableBufferPointer { rb in
                var slot = 0
                for h in 0..<horizon {
                    let q = spec.hasTrend ? l + (spec.damped ? parameters.phi : 1) * b : l
                    let s = rb[slot]
                    let mu: Double = spec.season == .additive ? q + s : spec.season == .multiplicative ? q * s : q
                    let e = sigma * rng.normal()
                    let y = multiplicative ? mu * (1 + e) : mu + e
                    path[h] = y
                    step(y: y, level: &l, trend: &b, season: &rb[slot])
                    slot += 1
                    if slot == m { slot = 0 }
                }
            }
            for h in 0..<horizon { sum[h] += path[h]; sumSq[h] += path[h] * path[h] }
        }
        let n = Double(Self.simulationPaths)
        return (0..<horizon).map { h in max(0, (sumSq[h] - sum[h] * sum[h] / n) / (n - 1)) }
    }

    /// The state update of `ETSRecursion` for one observed y.
    @inline(__always)
    private func step(y: Double, level l: inout Double, trend b: inout Double, season s: inout Double) {
        let phi = spec.damped ? parameters.phi : 1
        let q = spec.hasTrend ? l + phi * b : l
        let p: Double
        switch spec.season {
        case .none: p = y
        case .additive: p = y - s
        case .multiplicative: p = abs(s) < ETSRecursion.tiny ? ETSRecursion.huge : y / s
        }
        let lNew = q + parameters.alpha * (p - q)
        if spec.hasTrend { b = phi * b + parameters.beta / parameters.alpha * (lNew - l - phi * b) }
        switch spec.season {
        case .none: break
        case .additive: s += parameters.gamma * (y - q - s)
        case .multiplicative: s += parameters.gamma * ((abs(q) < ETSRecursion.tiny ? ETSRecursion.huge : y / q) - s)
        }
        l = lNew
    }
}
