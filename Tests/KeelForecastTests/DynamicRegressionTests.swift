import Foundation
import KeelNumerics
import KeelTestSupport
import Testing

@testable import KeelForecast

@Suite("DynamicRegression")
struct DynamicRegressionTests {
    /// The design (intercept, t/n, Fourier K = 2 for m = 7) solved by `Matrix.ridge` equals
    /// numpy's `solve(XᵀX + λD, Xᵀy)` to 1e-10 relative.
    @Test func ridgeMatchesNumpy() throws {
        let r = MSTLRegressionReference.shared.ridge
        let design = DynamicRegression.Design(n: r.n, fourier: [(r.period, r.fourier)], exogenous: [])
        let x = design.matrix(rows: 0..<r.n, exogenous: Matrix(rows: r.n, columns: 0))
        let beta = try Matrix.ridge(x, r.y, lambda: r.lambda, unpenalizedColumn: 0)
        #expect(beta.count == r.beta.count)
        for (a, b) in zip(beta, r.beta) { #expect(isClose(a, b, relative: 1e-10)) }
    }

    /// log-demand with elasticity −2, promotion ×1.5 and a weekly pattern, noise sd 0.05,
    /// 730 days with 5 % of days missing. Recovered: elasticity ±0.05, uplift ±0.02, weekly
    /// pattern ±0.02 (log units).
    @Test func recoversKnownCoefficients() throws {
        var rng = SplitMix64(seed: 7)
        let n = 730
        let dow = [0.0, 0.05, 0.1, 0.05, 0.2, 0.4, 0.3]
        let dowMean = dow.reduce(0, +) / 7
        var price = [Double](repeating: 10, count: n), promo = [Double](repeating: 0, count: n)
        var logY = [Double](repeating: 0, count: n)
        for week in 0..<(n / 7 + 1) {
            let discount = [0.0, 0.0, 0.1, 0.2, 0.3][Int(rng.uniform() * 5)]
            for t in (7 * week)..<min(n, 7 * week + 7) { price[t] = 10 * (1 - discount) }
        }
        for t in 0..<n {
            promo[t] = rng.uniform() < 0.15 ? 1 : 0
            logY[t] = 3 + 0.3 * Double(t) / Double(n) - 2 * log(price[t] / 10) + log(1.5) * promo[t] + dow[t % 7] + 0.05 * rng.normal()
            if rng.uniform() < 0.05 { logY[t] = .nan }
        }
        let features = try RegressionFeatures.retail(price: price, promotion: promo, futurePrice: [10, 10], futurePromotion: [0, 1])
        let fit = try DynamicRegression(seasonLengths: [7]).fit(logY, features: features)
        let elasticity = try #require(fit.coefficient("log_price"))
        let uplift = exp(try #require(fit.coefficient("promotion")))
        #expect(abs(elasticity + 2) < 0.05, "elasticity \(elasticity)")
        #expect(abs(uplift - 1.5) < 0.02, "uplift \(uplift)")
        // Weekly pattern from the Fourier terms.
        for d in 0..<7 {
            var s = 0.0
            for k in 1...3 {
                let w = 2 * Double.pi * Double(k) * Double(d) / 7
                s += fit.coefficient("sin(2π·\(k)·t/7)")! * sin(w) + fit.coefficient("cos(2π·\(k)·t/7)")! * cos(w)
            }
            #expect(abs(s - (dow[d] - dowMean)) < 0.02, "day \(d): \(s) vs \(dow[d] - dowMean)")
        }
        #expect(fit.fitted.count == n)
        // Future regressors drive the forecast: promotion on day 2 vs off on day 1 (same price).
        let f = try fit.predict(future: Matrix(rows: 2, columns: 2, columnMajor: [log(10), log(10), 0, 1]), levels: [0.1, 0.9])
        let expectedGap = log(uplift) + 0.3 / Double(n) + (dow[(n + 1) % 7] - dow[n % 7])
        #expect(abs((f.mean[1] - f.mean[0]) - expectedGap) < 0.05)
        #expect(f.quantiles[0][0] < f.mean[0] && f.mean[0] < f.quantiles[1][0])
        #expect(throws: ForecastError.self) { try fit.predict(future: Matrix(rows: 2, columns: 1), levels: [0.5]) }
    }

    /// AR(1) errors with φ = 0.6 are recovered within ±0.1 (SE ≈ 0.025).
    @Test func recoversAutoregressiveErrors() throws {
        var rng = SplitMix64(seed: 11)
        var eta = 0.0
        let y = (0..<1000).map { t -> Double in
            eta = 0.6 * eta + rng.normal()
            return 50 + 10 * sin(2 * .pi * Double(t) / 7) + eta
        }
        let fit = try DynamicRegression(seasonLengths: [7]).fit(y, features: .none(count: y.count))
        #expect(!fit.arCoefficients.isEmpty)
        #expect(abs(fit.arCoefficients[0] - 0.6) < 0.1, "φ₁ = \(fit.arCoefficients)")
        #expect(abs(fit.innovationVariance - 1) < 0.15)
        let v = fit.forecast(horizon: 10).variance!
        #expect(zip(v, v.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func conformance() {
        let y = MSTLRegressionReference.shared.mstl.y
        #expect(checkForecasterConformance(DynamicRegression(), series: y, seasonLength: 7).isEmpty)
        #expect(checkForecasterConformance(DynamicRegression(seasonLengths: [7, 365]), series: y, seasonLength: 7).isEmpty)
        #expect(checkForecasterConformance(DynamicRegression(), series: MSTLRegressionReference.shared.stl.y, seasonLength: 12).isEmpty)
    }

    @Test func tooShortThrows() {
        #expect(throws: ForecastError.tooShort(model: "DynamicRegression", needed: 8, got: 5)) {
            try DynamicRegression().fit([1, 2, 3, 4, 5], seasonLength: 7)
        }
        #expect(throws: ForecastError.tooShort(model: "DynamicRegression", needed: 8, got: 7)) {
            try DynamicRegression().fit([1, 2, .nan, 3, 4, .nan, 5, .nan, .nan, 6, 7], seasonLength: 7)
        }
    }
}
