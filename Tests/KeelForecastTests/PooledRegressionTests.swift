import Foundation
import KeelNumerics
import KeelTestSupport
import Testing

@testable import KeelForecast

@Suite("PooledRegression")
struct PooledRegressionTests {
    /// `count` short sparse series (Poisson demand, levels 0.1–3 a day) sharing elasticity −2,
    /// promotion ×1.5 and a weekly pattern; each series has its own reference price.
    static func panel(count: Int, days: Int, seed: UInt64) -> [SeriesWithFeatures] {
        var rng = SplitMix64(seed: seed)
        let dow = [0.0, -0.1, -0.1, 0.0, 0.2, 0.5, 0.3]  // Monday … Sunday
        let firstDay = 19_000  // 2022-01-08, a Saturday
        return (0..<count).map { i in
            let level = exp(log(0.1) + rng.uniform() * (log(3) - log(0.1)))
            let reference = 2 + 8 * rng.uniform()
            var price = [Double](repeating: reference, count: days), promo = [Double](repeating: 0, count: days)
            var y = [Double](repeating: 0, count: days)
            for t in 0..<days {
                if t % 7 == 0 {
                    let d = rng.uniform() < 0.3 ? 0.1 + 0.2 * rng.uniform() : 0; for u in t..<min(days, t + 7) { price[u] = reference * (1 - d) }
                }
                promo[t] = rng.uniform() < 0.1 ? 1 : 0
                let day = PooledRegression.dayOfWeek(firstDay + t)
                let mean = level * exp(-2 * log(price[t] / reference) + log(1.5) * promo[t] + dow[day])
                y[t] = rng.uniform() < 0.03 ? .nan : rng.poisson(mean)
            }
            return SeriesWithFeatures(
                id: "s\(i)", firstDay: firstDay, y: y, price: price, referencePrice: reference,
                promotion: promo, futurePrice: [reference, reference], futurePromotion: [0, 1])
        }
    }

    /// 400 series × 90 days, mean demand ≈ 1/day: the pooled elasticity is within ±0.1 of −2
    /// and the uplift within ±0.1 of 1.5, and the pooled elasticity error is below a quarter of
    /// the median error of per-series fits (same model, one series at a time).
    @Test func poolingBeatsPerSeriesFits() throws {
        let group = Self.panel(count: 400, days: 90, seed: 3)
        let model = PooledRegression(yearlyTerms: 0)
        let pooled = try model.fit(group: group)
        #expect(pooled.converged)
        let elasticity = try #require(pooled.coefficient("log_price"))
        let uplift = exp(try #require(pooled.coefficient("promotion")))
        #expect(abs(elasticity + 2) < 0.1, "pooled elasticity \(elasticity)")
        #expect(abs(uplift - 1.5) < 0.1, "pooled uplift \(uplift)")
        var errors: [Double] = []
        for s in group {
            guard let single = try? model.fit(group: [s]), let e = single.coefficient("log_price") else { errors.append(.infinity); continue }
            errors.append(abs(e + 2))
        }
        errors.sort()
        let median = errors[errors.count / 2]
        #expect(abs(elasticity + 2) < 0.25 * median, "pooled error \(abs(elasticity + 2)), per-series median \(median)")
        // Each series' forecast = its level × the pooled effects.
        let s = pooled.series[0]
        let f = s.forecast(horizon: 9)
        let day0 = PooledRegression.dayOfWeek(group[0].firstDay + 90)
        let sunday = pooled.coefficient("dow_sun")!
        let expected0 = s.level * exp(day0 == 0 ? 0 : pooled.coefficients[1 + day0])
        #expect(isClose(f.mean[0], expected0, relative: 1e-12))
        #expect(f.mean.allSatisfy { $0.isFinite && $0 >= 0 })
        #expect(sunday > 0.2)
        let q = s.predict(horizon: 9, levels: [0.05, 0.5, 0.95])
        for h in 0..<9 { #expect(q.quantiles[0][h] <= q.quantiles[1][h] && q.quantiles[1][h] <= q.quantiles[2][h] && q.quantiles[0][h] >= 0) }
        #expect(s.fitted.count == 90)
    }

    @Test func deterministicAndHandlesEmptySeries() throws {
        var group = Self.panel(count: 50, days: 60, seed: 5)
        group.append(SeriesWithFeatures(id: "dead", firstDay: 19_000, y: [Double](repeating: 0, count: 60)))
        group.append(SeriesWithFeatures(id: "unknown", firstDay: 19_000, y: [Double](repeating: .nan, count: 30)))
        let a = try PooledRegression().fit(group: group), b = try PooledRegression().fit(group: group)
        #expect(a.coefficients == b.coefficients)
        // The coefficients-only path: the same fit, no per-series forecasters.
        let c = try PooledRegression().coefficients(group: group)
        #expect(c.coefficients == a.coefficients && c.dispersion == a.dispersion && c.iterations == a.iterations && c.series.isEmpty)
        #expect(a.series.last!.level == 0 && a.series.last!.forecast(horizon: 3).mean == [0, 0, 0])
        #expect(throws: ForecastError.self) { try PooledRegression().fit(group: []) }
        #expect(throws: ForecastError.self) {
            try PooledRegression(eventNames: ["x"]).fit(group: [
                SeriesWithFeatures(id: "a", firstDay: 0, y: [1, 2], events: Matrix(rows: 1, columns: 1))
            ])
        }
    }
}
