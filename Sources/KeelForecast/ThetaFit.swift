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

    /// A fit's constants of the transition: α, 1 − α, 1/α and the weight 1 − 1/θ.
    struct Constants {
        let alpha: Double, keep: Double, inverseAlpha: Double, weight: Double
        let dynamic: Bool
        init(alpha: Double, theta: Double, dynamic: Bool) {
            self.alpha = alpha; keep = 1 - alpha; inverseAlpha = 1 / alpha; weight = 1 - 1 / theta; self.dynamic = dynamic
        }
    }

    /// One transition at time index i (statsforecast `update_step`); `y` NaN uses μ instead.
    mutating func step(i: Int, y: Double, _ c: Constants) {
        step(i: i, y: y, decay: pow(c.keep, Double(i)), r1: 1 / Double(i + 1), r2: 1 / Double(i + 2), c)
    }

    /// As `step(i:y:_:)` with decay = (1 − α)ⁱ, r1 = 1/(i + 1) and r2 = 1/(i + 2) supplied by the
    /// caller: the fitting loop keeps the decay as a running product and reads the reciprocals
    /// from a table, so no step of a Nelder–Mead evaluation divides or calls `pow` (a division
    /// becomes a product: the result differs by rounding only, ≈ 1e-16 relative per step).
    @inline(__always)
    mutating func step(i: Int, y: Double, decay: Double, r1: Double, r2: Double, _ c: Constants) {
        let di = Double(i)
        mu = level + c.weight * (a * decay + b * (1 - decay * c.keep) * c.inverseAlpha)
        let v = y.isFinite ? y : mu
        let previousMean = meanY
        level = c.alpha * v + c.keep * level
        meanY = (di * previousMean + v) * r1
        if c.dynamic {
            b = ((di - 1) * b + 6 * (v - previousMean) * r1) * r2
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
    /// `reciprocals[k]` = 1/k (k ≥ 1, at least y.count + 2 entries): see `ThetaState.step`.
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
        let c = ThetaState.Constants(alpha: alpha, theta: theta, dynamic: dynamic)
        var sse = 0.0
        var decay = 1.0
        for i in 1..<y.count {
            decay *= c.keep  // (1 − α)ⁱ
            state.step(i: i, y: y[i], decay: decay, r1: reciprocals[i + 1], r2: reciprocals[i + 2], c)
            mu?[i] = state.mu
            if i >= 3 && y[i].isFinite {
                let e = y[i] - state.mu
                sse += e * e
            }
        }
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
        let c = ThetaState.Constants(alpha: alpha, theta: theta, dynamic: variant.isDynamic)
        for j in 0..<horizon {
            state.step(i: n + j, y: .nan, c)
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
