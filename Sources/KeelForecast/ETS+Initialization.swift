import KeelNumerics

/// Initial states by the heuristic of forecast::ets / statsforecast's `initstate` (Hyndman et
/// al. 2008, §2.6.1):
/// - season: with n ≥ 3m, a classical decomposition (centred 2×m moving average, per-position
///   means of the detrended series, normalised to mean 0 (additive) or 1 (multiplicative));
///   with fewer points, a regression on 1, t, cos(2πt/m), sin(2πt/m). Multiplicative indices are
///   clipped to ≥ 0.01.
/// - level and growth: with a trend, least squares of the seasonally adjusted series on 1, t
///   over its first max(10, 2m) points (ℓ₀ = intercept, b₀ = slope); otherwise their mean.
/// Missing values are linearly interpolated for this heuristic only.
/// Returns (ℓ₀, b₀, m seasonal states in time order: the state used at t = 0 first).
enum ETSInitialization {
    static func initialStates(_ yIn: [Double], seasonLength m: Int, spec: ETSSpec) throws(ForecastError)
        -> (level: Double, trend: Double, seasons: [Double]) {
        let y = interpolated(yIn)
        let n = y.count
        var seasonal = [Double](repeating: spec.season == .multiplicative ? 1 : 0, count: n)
        var seasons: [Double] = []
        if spec.hasSeason {
            guard n >= 4 else { throw .tooShort(model: spec.description, needed: 4, got: n) }
            let multiplicative = spec.season == .multiplicative
            if n < 3 * m {
                // y ~ 1 + t + cos + sin (the sine column vanishes when m = 2).
                let withSine = m != 2
                let k = withSine ? 4 : 3
                var x = Matrix(rows: n, columns: k)
                for t in 0..<n {
                    let tt = Double(t + 1)
                    x[t, 0] = 1
                    x[t, 1] = tt
                    x[t, 2] = cos(2 * Double.pi * tt / Double(m))
                    if withSine { x[t, 3] = sin(2 * Double.pi * tt / Double(m)) }
                }
                guard let c = try? x.minimumNormLeastSquares(Matrix(column: y)).solution.storage else {
                    throw .degenerate(model: spec.description, reason: "initial seasonal regression failed")
                }
                for t in 0..<n {
                    let trend = c[0] + c[1] * Double(t + 1)
                    seasonal[t] = multiplicative ? y[t] / trend : y[t] - trend
                }
            } else {
                seasonal = decompose(y, m: m, multiplicative: multiplicative)
            }
            // States for t = 1-m … 0 in statsforecast's order: s₁…s_{m−1} = seasonal[m−1…1];
            // the last is fixed by normalisation.
            var free = (1..<m).reversed().map { seasonal[$0] }
            if multiplicative {
                free = free.map { max($0, 1e-2) }
                let total = free.reduce(0, +)
                if total > Double(m) {
                    let d = free.reduce(0) { $0 + $1 + 1e-2 }
                    free = free.map { $0 / d }
                }
                for t in 0..<n { seasonal[t] = y[t] / max(seasonal[t], 1e-2) }
            } else {
                for t in 0..<n { seasonal[t] = y[t] - seasonal[t] }
            }
            let last = (multiplicative ? Double(m) : 0) - free.reduce(0, +)
            // Time order: ring[0] = last, ring[j] = free[m−1−j].
            seasons = [last] + (1..<m).map { free[m - 1 - $0] }
        } else {
            seasonal = y
        }
        let adjusted = seasonal
        let maxn = min(max(10, 2 * (spec.hasSeason ? m : 1)), n)
        if !spec.hasTrend {
            let l0 = adjusted[0..<maxn].reduce(0, +) / Double(maxn)
            return (l0, 0, seasons)
        }
        guard maxn >= 2 else { throw .tooShort(model: spec.description, needed: 2, got: n) }
        // Least squares on 1, t (t = 1…maxn), closed form.
        var st = 0.0, sy = 0.0, stt = 0.0, sty = 0.0
        for t in 0..<maxn {
            let tt = Double(t + 1)
            st += tt; sy += adjusted[t]; stt += tt * tt; sty += tt * adjusted[t]
        }
        let k = Double(maxn)
        let slope = (k * sty - st * sy) / (k * stt - st * st)
        var l0 = (sy - slope * st) / k
        var b0 = slope
        if abs(l0 + b0) < 1e-8 { l0 *= 1 + 1e-3; b0 *= 1 - 1e-3 }
        return (l0, b0, seasons)
    }

    /// statsmodels' `seasonal_decompose` seasonal component: centred moving average trend
    /// (weights ½,1,…,1,½ over m + 1 points for even m; m equal weights for odd m), detrend,
    /// average each position (ignoring the NaN ends), normalise to mean 0 / 1, tile.
    static func decompose(_ y: [Double], m: Int, multiplicative: Bool) -> [Double] {
        let n = y.count
        let half = m / 2
        var detrended = [Double](repeating: .nan, count: n)
        for t in half..<(n - half) {
            let trend = centeredMovingAverage(y, at: t, period: m)
            detrended[t] = multiplicative ? y[t] / trend : y[t] - trend
        }
        var averages = [Double](repeating: 0, count: m)
        for i in 0..<m {
            var s = 0.0, c = 0
            for t in stride(from: i, to: n, by: m) where detrended[t].isFinite { s += detrended[t]; c += 1 }
            averages[i] = c > 0 ? s / Double(c) : (multiplicative ? 1 : 0)
        }
        let mean = averages.reduce(0, +) / Double(m)
        for i in 0..<m { averages[i] = multiplicative ? averages[i] / mean : averages[i] - mean }
        return (0..<n).map { averages[$0 % m] }
    }

    /// Linear interpolation of NaNs; leading/trailing gaps take the nearest observed value.
    static func interpolated(_ y: [Double]) -> [Double] {
        guard y.contains(where: \.isNaN) else { return y }
        var out = y
        let idx = y.indices.filter { !y[$0].isNaN }
        guard let first = idx.first, let last = idx.last else { return y }
        for t in 0..<first { out[t] = y[first] }
        for t in (last + 1)..<y.count { out[t] = y[last] }
        for (a, b) in zip(idx, idx.dropFirst()) where b > a + 1 {
            for t in (a + 1)..<b { out[t] = y[a] + (y[b] - y[a]) * Double(t - a) / Double(b - a) }
        }
        return out
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
