import Foundation
import KeelNumerics

/// Regression with autoregressive errors ("dynamic regression", Hyndman & Athanasopoulos, FPP3
/// ch. 10), solved with LAPACK.
///
/// Model: `yₜ = xₜᵀβ + ηₜ`, `ηₜ = φ₁ηₜ₋₁ + … + φₚηₜ₋ₚ + εₜ`. The design row `xₜ` is, in order:
/// `1` (intercept), `t/n` (linear trend, t = 0…n−1 over the history, continuing n, n+1, … over the
/// horizon), for each kept season length m and k = 1…K: `sin(2πkt/m)`, `cos(2πkt/m)` (the sine is
/// omitted when 2k = m, where it vanishes), then the exogenous columns of `RegressionFeatures`.
/// Season lengths with fewer than two full cycles of data (2m > n) are dropped, as in `MSTL`;
/// K defaults to min(⌊m/2⌋, 10).
///
/// Estimation, all deterministic:
/// 1. Rows where `y` or any regressor is NaN are dropped (censored days).
/// 2. β is the ridge solution `(XᵀX + λD)β = Xᵀy` (`Matrix.ridge`, Cholesky; D = I except 0 for
///    the intercept). λ = c·n with c chosen from `ridgeGrid` (default 1e-6, 1e-4, 1e-3, 1e-2, 1e-1)
///    by one time-ordered holdout: fit on the first 80 % of the observed rows, score the squared
///    error of `xᵀβ` on the last 20 %; ties go to the smaller c. Then refit on all rows.
/// 3. The residuals η are fitted by AR(p), p = 0…`maxAROrder` (≤ 7), by least squares (`dgels`)
///    on the rows where ηₜ…ηₜ₋ₘₐₓ are all observed (one common sample), choosing p by
///    AIC = m·log(SSE/m) + 2p among fits with Σ|φᵢ| < 1 (a sufficient condition for stationarity).
///
/// Forecast: `x_{n+h}ᵀβ + η̂_{n+h}`, η̂ by the AR recursion from the last observed residuals
/// (a missing residual counts as 0, its mean). Variance: `σ²·Σ_{j<h} ψⱼ²` with the AR's ψ-weights
/// (regression-coefficient uncertainty ignored). Fitted values: `xₜᵀβ + Σφᵢηₜ₋ᵢ`.
public struct DynamicRegression: Forecaster {
    /// The name its fits and errors carry (`ExogenousRegression` fits it as `DynamicRegressionX`).
    public let name: String
    /// Season lengths for the Fourier terms; nil uses the contract's `[seasonLength]`.
    public var seasonLengths: [Int]?
    /// Fourier pairs per season length (aligned with `seasonLengths`); nil gives min(⌊m/2⌋, 10).
    public var fourierTerms: [Int]?
    public var maxAROrder: Int
    /// Candidate ridge scales c (λ = c·n).
    public var ridgeGrid: [Double]

    public init(
        seasonLengths: [Int]? = nil, fourierTerms: [Int]? = nil, maxAROrder: Int = 7,
        ridgeGrid: [Double] = [1e-6, 1e-4, 1e-3, 1e-2, 1e-1], name: String = "DynamicRegression"
    ) {
        self.name = name
        self.seasonLengths = seasonLengths
        self.fourierTerms = fourierTerms
        self.maxAROrder = min(7, max(0, maxAROrder))
        self.ridgeGrid = ridgeGrid.isEmpty ? [1e-6] : ridgeGrid
    }

    /// Trend + Fourier only (no exogenous columns).
    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        try fit(y, features: .none(count: y.count), seasonLength: seasonLength)
    }

    /// Fits with exogenous `features` (`features.history.rows == y.count`). `seasonLength` is used
    /// only when `seasonLengths` is nil. Needs more observed rows than design columns + 3, at least
    /// 8; throws `.tooShort` otherwise and `.degenerate` when the design is singular.
    public func fit(_ y: [Double], features: RegressionFeatures, seasonLength: Int = 1) throws(ForecastError) -> Fitted {
        guard features.history.rows == y.count else {
            throw .invalidInput("\(name): features have \(features.history.rows) rows for \(y.count) observations")
        }
        let n = y.count
        let fourier = fourierSpec(seasonLengths ?? [seasonLength], n: n)
        let design = Design(n: n, fourier: fourier, exogenous: features.names)
        let x = design.matrix(rows: 0..<n, exogenous: features.history)
        // Observed rows: y and every regressor finite.
        var keep: [Int] = []
        keep.reserveCapacity(n)
        for t in 0..<n where y[t].isFinite {
            var ok = true
            for j in 0..<x.columns where !x.storage[t + j * n].isFinite { ok = false; break }
            if ok { keep.append(t) }
        }
        let p = x.columns
        let needed = max(8, p + 4)
        guard keep.count >= needed else { throw .tooShort(model: name, needed: needed, got: keep.count) }

        // λ by a time-ordered holdout.
        let split = keep.count - max(1, keep.count / 5)
        var bestScale = ridgeGrid[0], bestError = Double.infinity
        if split >= p + 2 {
            let train = Array(keep[..<split]), valid = Array(keep[split...])
            let xt = x.selectingRows(train), yt = train.map { y[$0] }
            for c in ridgeGrid {
                guard let beta = try? Matrix.ridge(xt, yt, lambda: c * Double(train.count), unpenalizedColumn: 0) else { continue }
                var e = 0.0
                for t in valid {
                    var f = 0.0
                    for j in 0..<p { f += x.storage[t + j * n] * beta[j] }
                    e += (y[t] - f) * (y[t] - f)
                }
                if e < bestError { bestError = e; bestScale = c }
            }
        }
        let lambda = bestScale * Double(keep.count)
        let beta: [Double]
        do {
            beta = try Matrix.ridge(x.selectingRows(keep), keep.map { y[$0] }, lambda: lambda, unpenalizedColumn: 0)
        } catch {
            throw .degenerate(model: name, reason: "ridge solve failed: \(error)")
        }
        // Residuals (NaN where unobserved) and their AR model.
        var residual = [Double](repeating: .nan, count: n)
        for t in keep {
            var f = 0.0
            for j in 0..<p { f += x.storage[t + j * n] * beta[j] }
            residual[t] = y[t] - f
        }
        let ar = ARResidualModel.fit(residual, maxOrder: maxAROrder, regressionColumns: p)
        var fitted = [Double](repeating: .nan, count: n)
        for t in 0..<n {
            var f = 0.0
            for j in 0..<p { f += x.storage[t + j * n] * beta[j] }
            fitted[t] = f + ar.oneStep(residual, at: t)
        }
        return Fitted(
            name: name, design: design, columnNames: design.columnNames, coefficients: beta, lambda: lambda, ar: ar,
            fitted: fitted, lastResiduals: Array(residual.suffix(ar.order)), futureFeatures: features.future,
            lastHistoryRow: features.history.rows > 0 ? features.history.row(n - 1) : [])
    }

    private func fourierSpec(_ lengths: [Int], n: Int) -> [(period: Int, terms: Int)] {
        var out: [(Int, Int)] = []
        for (i, m) in lengths.enumerated() where m > 1 && 2 * m <= n {
            let k = fourierTerms.map { $0[min(i, $0.count - 1)] } ?? min(m / 2, 10)
            if k > 0 { out.append((m, min(k, m / 2))) }
        }
        return out
    }
}

extension Matrix {
    /// The rows at `indices`, in that order, as a new matrix. O(|indices| · columns).
    func selectingRows(_ indices: [Int]) -> Matrix {
        var m = Matrix(rows: indices.count, columns: columns)
        let r = indices.count
        for j in 0..<columns {
            for (i, t) in indices.enumerated() { m.storage[i + j * r] = storage[t + j * rows] }
        }
        return m
    }
}
