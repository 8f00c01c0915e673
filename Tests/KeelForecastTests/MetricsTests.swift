import KeelForecast
import Testing

private func close(_ a: Double, _ b: Double, _ rel: Double = 1e-12) -> Bool { abs(a - b) <= rel * max(1, abs(b)) }

/// Hand-computed values (tolerance 1e-12 relative: a handful of floating-point operations).
@Suite struct MetricsTests {
    @Test func mase() {
        // history [1,3,2,5]: |Δ| = 2,1,3 → scale 2; errors |5−4|, |4−6| → MAE 1.5 → 0.75.
        #expect(close(Metrics.mase(actual: [4, 6], forecast: [5, 4], history: [1, 3, 2, 5]), 0.75))
        // m = 2: |2−1|, |5−3| → scale 1.5 → MASE 1.
        #expect(close(Metrics.mase(actual: [4, 6], forecast: [5, 4], history: [1, 3, 2, 5], seasonLength: 2), 1))
        // A NaN in history skips both pairs that touch it: [1, NaN, 2, 5] → |2 − 1|? no (lag 1): only |5−2| = 3.
        #expect(close(Metrics.maseScale(history: [1, .nan, 2, 5]), 3))
    }

    @Test func rmsse() {
        // From the first non-zero: [2,4,3]: Δ² = 4, 1 → scale 2.5; MSE (1 + 4)/2 = 2.5 → RMSSE 1.
        #expect(close(Metrics.rmsse(actual: [3, 5], forecast: [4, 3], history: [0, 0, 2, 4, 3]), 1))
        #expect(Metrics.rmsseScale(history: [0, 0, 0]).isNaN)
    }

    @Test func smape() {
        // 200·10/210, 0/0 → 0, 200·50/50 → mean of (9.5238…, 0, 200).
        #expect(close(Metrics.smape(actual: [100, 0, 50], forecast: [110, 0, 0]), (200.0 * 10 / 210 + 200) / 3))
    }

    @Test(arguments: [(0.1, 1.15), (0.5, 1.75), (0.9, 2.35)])
    func pinball(tau: Double, expected: Double) {
        // y = [10, 20], q = [12, 15]: over by 2 costs (1 − τ)·2, under by 5 costs τ·5.
        #expect(close(Metrics.pinball(actual: [10, 20], quantile: [12, 15], level: tau), expected))
    }

    @Test func nanActualsAreSkipped() {
        #expect(close(Metrics.pinball(actual: [10, .nan], quantile: [12, 15], level: 0.5), 1))
        #expect(close(Metrics.mae(actual: [.nan, 3], forecast: [1, 1]), 2))
    }

    @Test func coverageAndBias() {
        #expect(close(Metrics.coverage(actual: [10, 20], quantile: [12, 15]), 0.5))
        let b = Metrics.bias(actual: [10, 20], forecast: [12, 15])
        #expect(close(b.meanError, -1.5) && close(b.relative, -0.1))
    }

    @Test func scaledPinball() {
        // history [1,2,3,2]: |Δ| = 1,1,1 → scale 1; τ = 0.5, y = [2,2], q = [3,2] → (0.5 + 0)/2.
        #expect(close(Metrics.scaledPinball(actual: [2, 2], quantile: [3, 2], level: 0.5, history: [1, 2, 3, 2]), 0.25))
    }

    /// Two bottoms b1, b2 under a total (2 levels):
    /// - b1: history [1,2,3,2] → Δ² = 1,1,1 → scale 1; y [2,2], ŷ [3,2] → MSE 0.5 → RMSSE √0.5.
    /// - b2: history [0,4,4,6] → from 4: Δ² = 0,4 → scale 2; y [5,7], ŷ [5,5] → MSE 2 → RMSSE 1.
    /// - total: history [1,6,7,8] → Δ² = 25,1,1 → scale 9; y [7,9], ŷ [8,7] → MSE 2.5 → √(2.5/9).
    /// Dollar sales 3 and 1 → weights 0.75, 0.25; total weight 1.
    /// WRMSSE = ½ (√(2.5/9) + 0.75·√0.5 + 0.25·1) = 0.6536881812923203.
    @Test func wrmsseOnAToyHierarchy() throws {
        let h = try Hierarchy(bottomIDs: ["b1", "b2"], levels: [.init(name: "total", rowIDs: ["total"], members: [[0, 1]])])
        let series = [
            EvaluationSeries(history: [1, 2, 3, 2], actual: [2, 2], forecast: [3, 2], dollarSales: 3),
            EvaluationSeries(history: [0, 4, 4, 6], actual: [5, 7], forecast: [5, 5], dollarSales: 1),
        ]
        let s = Metrics.wrmsse(series, hierarchy: h)
        #expect(close(s.levelValues["total"]!, (2.5 / 9.0).squareRoot()))
        #expect(close(s.levelValues["bottom"]!, 0.75 * 0.5.squareRoot() + 0.25))
        #expect(close(s.value, 0.6536881812923203))
        #expect(s.series.map(\.weight) == [1, 0.75, 0.25])
        #expect(close(Metrics.dollarSales(history: [9, 1, 2], prices: [2, 3], window: 2), 8))
    }

    @Test func wsplOnAToyHierarchy() throws {
        let h = try Hierarchy(bottomIDs: ["b1", "b2"], levels: [.init(name: "total", rowIDs: ["total"], members: [[0, 1]])])
        let series = [
            EvaluationSeries(history: [1, 2, 3, 2], actual: [2, 2], dollarSales: 3),
            EvaluationSeries(history: [0, 4, 4, 6], actual: [5, 7], dollarSales: 1),
        ]
        // Medians equal to the actuals everywhere except b1 step 1 (q = 3 vs y = 2): pinball 0.25,
        // scale 1 → SPL 0.25 for b1, 0 elsewhere → WSPL = ½ · 0.75 · 0.25.
        let q = [[7.0, 9], [3, 2], [5, 7]].map { Forecast(model: "m", mean: $0, levels: [0.5], quantiles: [$0]) }
        #expect(close(Metrics.wspl(series, hierarchy: h, quantiles: q).value, 0.5 * 0.75 * 0.25))
    }
}
