import Foundation
import KeelNumerics

extension DynamicRegression {
    /// A fitted dynamic regression. `coefficients[j]` belongs to `columnNames[j]`
    /// ("intercept", "trend", "sin(2π·k·t/m)", "cos(2π·k·t/m)", then the exogenous names).
    public struct Fitted: FittedForecaster {
        public let name: String
        let design: Design
        public let columnNames: [String]
        public let coefficients: [Double]
        /// The ridge λ used on the full fit (= c·observed rows).
        public let lambda: Double
        let ar: ARResidualModel
        public let fitted: [Double]
        let lastResiduals: [Double]
        let futureFeatures: Matrix
        let lastHistoryRow: [Double]

        /// AR coefficients of the residual model φ₁…φₚ (empty for white noise).
        public var arCoefficients: [Double] { ar.phi }
        /// Innovation variance σ² of the residual model.
        public var innovationVariance: Double { ar.sigma2 }

        /// The coefficient of a named column, nil when absent.
        public func coefficient(_ column: String) -> Double? {
            columnNames.firstIndex(of: column).map { coefficients[$0] }
        }

        /// Contract forecast: exogenous columns come from the future rows given at fit time;
        /// beyond them (or without any) the last known row (future, else history) is repeated.
        public func forecast(horizon: Int) -> ModelForecast {
            let k = design.exogenous.count
            var future = Matrix(rows: horizon, columns: k)
            let given = futureFeatures.rows
            let fallback = given > 0 ? futureFeatures.row(given - 1) : lastHistoryRow
            for j in 0..<k {
                for h in 0..<horizon {
                    future.storage[h + j * horizon] = h < given ? futureFeatures.storage[h + j * given] : (fallback.isEmpty ? 0 : fallback[j])
                }
            }
            return forecast(futureExogenous: future)
        }

        /// Mean and variance for `future.rows` steps given the exogenous columns' future values
        /// (same columns, in the order of the fit's `RegressionFeatures.names`).
        /// Throws `.invalidInput` when the column count differs or a value is not finite.
        public func forecast(future: Matrix) throws(ForecastError) -> ModelForecast {
            guard future.columns == design.exogenous.count else {
                throw .invalidInput("\(name): future has \(future.columns) columns, the fit used \(design.exogenous.count)")
            }
            guard future.storage.allSatisfy({ $0.isFinite }) else { throw .invalidInput("\(name): non-finite future regressor") }
            return forecast(futureExogenous: future)
        }

        /// Mean and Normal quantiles at `levels` for `future.rows` steps.
        public func predict(future: Matrix, levels: [Double]) throws(ForecastError) -> Forecast {
            let f = try forecast(future: future)
            let variance = f.variance ?? []
            let quantiles = levels.map { level in
                let z = Normal.quantile(level)
                return (0..<f.mean.count).map { h in f.mean[h] + z * max(0, variance[h]).squareRoot() }
            }
            return Forecast(model: name, mean: f.mean, levels: levels, quantiles: quantiles)
        }

        private func forecast(futureExogenous: Matrix) -> ModelForecast {
            let horizon = futureExogenous.rows
            let x = design.matrix(rows: design.n..<(design.n + horizon), exogenous: futureExogenous)
            var mean = x.multiplied(by: coefficients)
            let (eta, variance) = ar.forecast(lastResiduals: lastResiduals, horizon: horizon)
            for h in 0..<horizon { mean[h] += eta[h] }
            return ModelForecast(mean: mean, variance: variance)
        }
    }

    /// The deterministic part of the design: intercept, trend, Fourier terms; then exogenous.
    struct Design: Sendable {
        let n: Int
        let fourier: [(period: Int, terms: Int)]
        let exogenous: [String]

        var columnNames: [String] {
            var names = ["intercept", "trend"]
            for (m, kk) in fourier {
                for k in 1...kk {
                    if 2 * k != m { names.append("sin(2π·\(k)·t/\(m))") }
                    names.append("cos(2π·\(k)·t/\(m))")
                }
            }
            return names + exogenous
        }

        /// Design rows for time indices `rows` (0-based from the start of the history), with
        /// `exogenous` holding one row per index. Column-major, `rows.count × columns`.
        func matrix(rows: Range<Int>, exogenous values: Matrix) -> Matrix {
            let r = rows.count
            let deterministic = columnNames.count - exogenous.count
            var x = Matrix(rows: r, columns: deterministic + exogenous.count)
            x.storage.withUnsafeMutableBufferPointer { p in
                for i in 0..<r {
                    let t = Double(rows.lowerBound + i)
                    p[i] = 1
                    p[i + r] = t / Double(n)
                }
                var column = 2
                for (m, kk) in fourier {
                    for k in 1...kk {
                        let w = 2 * Double.pi * Double(k) / Double(m)
                        if 2 * k != m {
                            for i in 0..<r { p[i + column * r] = sin(w * Double(rows.lowerBound + i)) }
                            column += 1
                        }
                        for i in 0..<r { p[i + column * r] = cos(w * Double(rows.lowerBound + i)) }
                        column += 1
                    }
                }
                for j in 0..<exogenous.count {
                    for i in 0..<r { p[i + (deterministic + j) * r] = values.storage[i + j * values.rows] }
                }
            }
            return x
        }
    }
}

/// AR(p) for regression residuals, p ≤ 7 chosen by AIC (see `DynamicRegression`).
struct ARResidualModel: Sendable {
    var phi: [Double]
    var sigma2: Double
    var order: Int { phi.count }

    static func fit(_ r: [Double], maxOrder: Int, regressionColumns: Int) -> ARResidualModel {
        let n = r.count
        var observed = 0, sse0 = 0.0
        for v in r where v.isFinite { observed += 1; sse0 += v * v }
        let white = ARResidualModel(phi: [], sigma2: sse0 / Double(max(1, observed - regressionColumns)))
        guard maxOrder > 0 else { return white }
        // Common sample: t with r[t−maxOrder…t] all observed.
        var rows: [Int] = []
        for t in maxOrder..<max(maxOrder, n) {
            var ok = true
            for l in 0...maxOrder where !r[t - l].isFinite { ok = false; break }
            if ok { rows.append(t) }
        }
        let m = rows.count
        guard m >= 4 * maxOrder + 10 else { return white }
        let target = rows.map { r[$0] }
        var best = white
        var bestAIC = Double(m) * log(max(target.reduce(0) { $0 + $1 * $1 }, 1e-300) / Double(m))
        for p in 1...maxOrder {
            var x = Matrix(rows: m, columns: p)
            for l in 1...p { for (i, t) in rows.enumerated() { x.storage[i + (l - 1) * m] = r[t - l] } }
            guard let phi = try? x.leastSquares(target), phi.allSatisfy({ $0.isFinite }) else { continue }
            guard phi.reduce(0, { $0 + abs($1) }) < 1 else { continue }
            let fit = x.multiplied(by: phi)
            var sse = 0.0
            for i in 0..<m { sse += (target[i] - fit[i]) * (target[i] - fit[i]) }
            let aic = Double(m) * log(max(sse, 1e-300) / Double(m)) + 2 * Double(p)
            if aic < bestAIC {
                bestAIC = aic
                best = ARResidualModel(phi: phi, sigma2: sse / Double(max(1, m - p)))
            }
        }
        return best
    }

    /// Σφᵢ·r[t−i] with missing (or out-of-range) lags counted as 0.
    func oneStep(_ r: [Double], at t: Int) -> Double {
        var s = 0.0
        for (i, f) in phi.enumerated() where t - i - 1 >= 0 {
            let v = r[t - i - 1]
            if v.isFinite { s += f * v }
        }
        return s
    }

    /// The AR recursion from the last `order` residuals and `σ²·Σ_{j<h} ψⱼ²`.
    func forecast(lastResiduals: [Double], horizon: Int) -> (mean: [Double], variance: [Double]) {
        let p = order
        var path = lastResiduals.map { $0.isFinite ? $0 : 0 }
        var psi = [Double](repeating: 0, count: horizon)
        var mean = [Double](repeating: 0, count: horizon), variance = [Double](repeating: 0, count: horizon)
        var cumulative = 0.0
        for h in 0..<horizon {
            var s = 0.0
            for i in 0..<p { s += phi[i] * path[path.count - 1 - i] }
            path.append(s)
            mean[h] = s
            if h == 0 {
                psi[0] = 1
            } else {
                var v = 0.0
                if p > 0 { for i in 1...min(h, p) { v += phi[i - 1] * psi[h - i] } }
                psi[h] = v
            }
            cumulative += psi[h] * psi[h]
            variance[h] = sigma2 * cumulative
        }
        return (mean, variance)
    }
}
