#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Theta state (statsforecast's row `level, meany, An, Bn, mu`).
struct ThetaState: Sendable, Equatable {
    var level: Double
    var meanY: Double
    var a: Double
    var b: Double
    var mu: Double

    /// One transition at time index i (statsforecast `update_step`); `y` NaN uses μ instead.
    @inline(__always)
    mutating func step(i: Int, dynamic: Bool, alpha: Double, theta: Double, y: Double) {
        step(i: i, dynamic: dynamic, alpha: alpha, theta: theta, y: y, decay: pow(1 - alpha, Double(i)))
    }

    /// As `step(i:…)` with `decay` = (1 − α)ⁱ supplied by the caller (the fitting loop keeps it
    /// as a running product instead of calling `pow` twice per step).
    @inline(__always)
    mutating func step(i: Int, dynamic: Bool, alpha: Double, theta: Double, y: Double, decay: Double) {
        let di = Double(i)
        mu = level + (1 - 1 / theta) * (a * decay + b * (1 - decay * (1 - alpha)) / alpha)
        let v = y.isFinite ? y : mu
        let previousMean = meanY
        level = alpha * v + (1 - alpha) * level
        meanY = (di * previousMean + v) / (di + 1)
        if dynamic {
            b = ((di - 1) * b + 6 * (v - previousMean) / (di + 1)) / (di + 2)
            a = meanY - b * (di + 2) / 2
        }
    }
}

/// A fitted Theta model (see `ThetaVariant`).
struct ThetaFit: FittedForecaster {
    let name: String
    let variant: ThetaVariant
    let fitted: [Double]
    /// ℓ₀, α, θ.
    let initialSmoothed: Double
    let alpha: Double
    let theta: Double
    /// The last state, at time index n − 1 of the adjusted series (leading NaNs dropped).
    let last: ThetaState
    let n: Int
    /// Mean of the observed (seasonally adjusted) values: the simulation's starting ȳ.
    let meanY: Double
    /// σ: sample standard deviation of the (re-seasonalised) residuals from index 3 on.
    let sigma: Double
    /// The seasonal indices for steps 1…m (nil when not decomposed) and how they apply.
    let season: [Double]?
    let multiplicative: Bool

    static let minimumObservations = 4

    /// Runs the recursion over `y` (first value observed) and returns the objective
    /// Σᵢ₌₃ eᵢ² / mean|y| (statsforecast `calc`); writes one-step forecasts into `mu` when given.
    /// O(n), allocation-free.
    ///
    /// The same transition as `ThetaState.step` with its divisions turned into products:
    /// `reciprocals[k]` = 1/k (k ≥ 1, at least y.count + 2 entries) and 1/α once per call. Each
    /// step then carries no division on its dependency chains (ȳ and B were divided by i + 1 and
    /// i + 2 at every step of every Nelder–Mead evaluation); the results differ from the divided
    /// form by rounding only (≈ 1e-16 relative per step).
    static func run(_ y: UnsafeBufferPointer<Double>, dynamic: Bool, initialSmoothed: Double, alpha: Double, theta: Double,
                    trend: (a: Double, b: Double), meanAbs: Double, reciprocals: UnsafeBufferPointer<Double>,
                    mu: UnsafeMutableBufferPointer<Double>?) -> (objective: Double, last: ThetaState) {
        precondition(reciprocals.count >= y.count + 2)
        let y0 = y[0]
        var state = ThetaState(level: alpha * y0 + (1 - alpha) * initialSmoothed, meanY: y0, a: y0, b: 0, mu: y0)
        if !dynamic {
            state.a = trend.a
            state.b = trend.b
            state.mu = initialSmoothed + (1 - 1 / theta) * (trend.a + trend.b)
        }
        mu?[0] = state.mu
        let weight = 1 - 1 / theta, keep = 1 - alpha, inverseAlpha = 1 / alpha
        var level = state.level, meanY = state.meanY, a = state.a, b = state.b, forecast = state.mu
        var sse = 0.0
        var decay = 1.0
        for i in 1..<y.count {
            decay *= keep  // (1 − α)ⁱ
            let di = Double(i)
            forecast = level + weight * (a * decay + b * (1 - decay * keep) * inverseAlpha)
            let yi = y[i]
            let v = yi.isFinite ? yi : forecast
            let previousMean = meanY
            let r1 = reciprocals[i + 1]
            level = alpha * v + keep * level
            meanY = (di * previousMean + v) * r1
            if dynamic {
                b = ((di - 1) * b + 6 * (v - previousMean) * r1) * reciprocals[i + 2]
                a = meanY - b * (di + 2) / 2
            }
            mu?[i] = forecast
            if i >= 3 && yi.isFinite {
                let e = yi - forecast
                sse += e * e
            }
        }
        state = ThetaState(level: level, meanY: meanY, a: a, b: b, mu: forecast)
        return (sse / max(meanAbs, 1e-10), state)
    }

    /// 1/k for k = 0…count − 1 (0 at k = 0): the divisors of `run`.
    static func reciprocals(count: Int) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        for k in 1..<max(1, count) { out[k] = 1 / Double(k) }
        return out
    }

    /// The least-squares line A + B·t through the observed values at t = 1…n (statsforecast's
    /// closed form when nothing is missing).
    static func trendLine(_ y: UnsafeBufferPointer<Double>) -> (a: Double, b: Double) {
        var st = 0.0, sy = 0.0, k = 0.0
        for i in 0..<y.count where y[i].isFinite { st += Double(i + 1); sy += y[i]; k += 1 }
        let tBar = st / k, yBar = sy / k
        var sxy = 0.0, sxx = 0.0
        for i in 0..<y.count where y[i].isFinite {
            let dt = Double(i + 1) - tBar
            sxy += dt * (y[i] - yBar)
            sxx += dt * dt
        }
        let b = sxx > 0 ? sxy / sxx : 0
        return (yBar - b * tBar, b)
    }

    static func fit(_ raw: [Double], seasonLength: Int, variant: ThetaVariant, name: String) throws(ForecastError) -> ThetaFit {
        guard let first = raw.firstIndex(where: { $0.isFinite }) else {
            throw .tooShort(model: name, needed: minimumObservations, got: 0)
        }
        let observed = Observed.count(raw)
        guard observed >= minimumObservations else { throw .tooShort(model: name, needed: minimumObservations, got: observed) }
        var y = Array(raw[first...])
        let n = y.count
        let m = max(1, seasonLength)

        // Seasonal adjustment.
        var seasonal: [Double]? = nil
        var multiplicative = true
        if m >= 4 && n >= 2 * m {
            let filled = SeasonalDecomposition.interpolated(y)
            if SeasonalDecomposition.isSeasonal(filled, m: m) {
                var minimum = Double.infinity
                for v in y where v.isFinite { minimum = min(minimum, v) }
                multiplicative = minimum > 0
                var indices = SeasonalDecomposition.indices(filled, m: m, multiplicative: multiplicative)
                if multiplicative && indices.contains(where: { $0 < 0.01 }) {
                    multiplicative = false
                    indices = SeasonalDecomposition.indices(filled, m: m, multiplicative: false)
                }
                for t in 0..<n { y[t] = multiplicative ? y[t] / indices[t % m] : y[t] - indices[t % m] }
                seasonal = indices
            }
        }

        var meanAbs = 0.0, mean = 0.0
        for v in y where v.isFinite { meanAbs += abs(v); mean += v }
        meanAbs /= Double(observed)
        mean /= Double(observed)
        let dynamic = variant.isDynamic

        var muBuffer = [Double](repeating: .nan, count: n)
        let inverse = reciprocals(count: n + 2)
        let result: (par: [Double], last: ThetaState) = y.withUnsafeBufferPointer { yb in inverse.withUnsafeBufferPointer { rb in
            let trend = dynamic ? (a: yb[0], b: 0.0) : trendLine(yb)
            var x0 = [yb[0] / 2, 0.5]
            var lower = [-1e10, 0.1], upper = [1e10, 0.99]
            if variant.optimizesTheta { x0.append(2); lower.append(1); upper.append(1e10) }
            let par = ThetaOptimizer.minimize(x0: x0, lower: lower, upper: upper) { p in
                let objective = run(yb, dynamic: dynamic, initialSmoothed: p[0], alpha: p[1], theta: p.count > 2 ? p[2] : 2,
                                    trend: trend, meanAbs: meanAbs, reciprocals: rb, mu: nil).objective
                return objective.isNaN ? .infinity : objective
            }
            let last = muBuffer.withUnsafeMutableBufferPointer { mb in
                run(yb, dynamic: dynamic, initialSmoothed: par[0], alpha: par[1], theta: par.count > 2 ? par[2] : 2,
                    trend: trend, meanAbs: meanAbs, reciprocals: rb, mu: mb).last
            }
            return (par, last)
        } }

        // Residuals on the original scale (statsforecast re-seasonalises them) and σ from index 3.
        var fitted = [Double](repeating: .nan, count: raw.count)
        var residuals = [Double](repeating: .nan, count: n)
        for t in 0..<n {
            var f = muBuffer[t]
            var e = y[t] - muBuffer[t]
            if let s = seasonal {
                let index = s[t % m]
                f = multiplicative ? f * index : f + index
                e = multiplicative ? e * index : e + index
            }
            fitted[first + t] = f
            residuals[t] = e
        }
        var sigma = sampleStandardDeviation(residuals, from: 3)
        if !sigma.isFinite { sigma = sampleStandardDeviation(residuals, from: 0) }
        if !sigma.isFinite { sigma = 0 }

        // Seasonal indices for forecast steps 1…m: index (n + j) mod m.
        let season = seasonal.map { s in (0..<m).map { s[(n + $0) % m] } }
        return ThetaFit(name: name, variant: variant, fitted: fitted, initialSmoothed: result.par[0], alpha: result.par[1],
                        theta: result.par.count > 2 ? result.par[2] : 2, last: result.last, n: n, meanY: mean, sigma: sigma,
                        season: season, multiplicative: multiplicative)
    }

    /// numpy's `std(ddof=1)` over the finite values from `start` on (NaN with fewer than 2).
    static func sampleStandardDeviation(_ x: [Double], from start: Int) -> Double {
        var s = 0.0, k = 0
        for i in start..<max(start, x.count) where x[i].isFinite { s += x[i]; k += 1 }
        guard k >= 2 else { return .nan }
        let mean = s / Double(k)
        var ss = 0.0
        for i in start..<x.count where x[i].isFinite { ss += (x[i] - mean) * (x[i] - mean) }
        return (ss / Double(k - 1)).squareRoot()
    }

    /// Point forecasts of the adjusted series (statsforecast `forecast`), O(h).
    func adjustedMean(horizon: Int) -> [Double] {
        var state = last
        var out = [Double](repeating: 0, count: horizon)
        for j in 0..<horizon {
            state.step(i: n + j, dynamic: variant.isDynamic, alpha: alpha, theta: theta, y: .nan)
            out[j] = state.mu
        }
        return out
    }

    func reseasonalised(_ value: Double, step j: Int) -> Double {
        guard let season else { return value }
        let s = season[j % season.count]
        return multiplicative ? value * s : value + s
    }

    func forecast(horizon: Int) -> ModelForecast {
        let mean = adjustedMean(horizon: horizon)
        let paths = intervalPaths(horizon: horizon)
        var out = [Double](repeating: 0, count: horizon)
        var variance = [Double](repeating: 0, count: horizon)
        for j in 0..<horizon {
            out[j] = reseasonalised(mean[j], step: j)
            let scale = (season != nil && multiplicative) ? season![j % season!.count] : 1
            variance[j] = paths.variance[j] * scale * scale
        }
        return ModelForecast(mean: out, variance: variance)
    }

    func predict(horizon: Int, levels: [Double]) -> Forecast {
        let mean = forecast(horizon: horizon).mean
        let paths = intervalPaths(horizon: horizon)
        let quantiles = levels.map { level in
            let z = Normal.quantile(level)
            return (0..<horizon).map { j in
                reseasonalised(paths.centre[j] + z * paths.variance[j].squareRoot(), step: j)
            }
        }
        return Forecast(model: name, mean: mean, levels: levels, quantiles: quantiles)
    }
}
