import KeelForecast
import KeelTestSupport
import Testing

/// Small cases worked out by hand (exact rationals; tolerance 1e-12 covers rounding).
@Suite struct IntermittentHandTests {
    /// y = 0 2 0 0 4: sizes 2, 4 and intervals 2, 3. SES with α = 0.1 from the first value:
    /// ẑ = 0.1·4 + 0.9·2 = 2.2, q̂ = 0.1·3 + 0.9·2 = 2.1, forecast 2.2/2.1 = 22/21.
    /// Fitted: NaN; 0 (no demand yet: the previous value over interval 1); then 2/2 = 1 held.
    @Test func crostonClassicByHand() throws {
        let f = try CrostonClassic().fit([0, 2, 0, 0, 4], seasonLength: 1)
        #expect(isClose(f.forecast(horizon: 3).mean[2], 22.0 / 21.0, relative: 1e-12))
        #expect(f.fitted[0].isNaN)
        #expect(Array(f.fitted[1...]) == [0, 1, 1, 1])
    }

    /// SBA = classic × (1 − α/2) = classic × 0.95 (α = 0.1).
    @Test func sbaFactor() throws {
        #expect(CrostonSBA.factor == 0.95)
        let y: [Double] = [0, 2, 0, 0, 4, 0, 1, 0, 0, 0, 3]
        let classic = try CrostonClassic().fit(y, seasonLength: 1).forecast(horizon: 1).mean[0]
        let sba = try CrostonSBA().fit(y, seasonLength: 1).forecast(horizon: 1).mean[0]
        #expect(isClose(sba, 0.95 * classic, relative: 1e-12))
        let tiny = try CrostonSBA().fit([0, 2, 0, 0, 4], seasonLength: 1).forecast(horizon: 1).mean[0]
        #expect(isClose(tiny, 0.95 * 22 / 21, relative: 1e-12))
    }

    /// y = 0 3 0 1 with α_d = α_p = 0.5: p = 0 1 0 1 smooths to fitted 0, 0.5, 0.25 and forecast
    /// 0.625; sizes 3, 1 to forecast 2; TSB = 1.25. Fitted: NaN, 0·0, 0.5·3, 0.25·3.
    @Test func tsbByHand() throws {
        let f = try TSB(alphaD: 0.5, alphaP: 0.5).fit([0, 3, 0, 1], seasonLength: 1)
        #expect(isClose(f.forecast(horizon: 1).mean[0], 1.25, relative: 1e-12))
        #expect(f.fitted[0].isNaN)
        #expect(Array(f.fitted[1...]) == [0, 1.5, 0.75])
    }

    /// Poisson(2): F(0) = 0.135, F(1) = 0.406, F(2) = 0.677, F(4) = 0.947, F(6) = 0.9955.
    /// Negative binomial μ = 2, v = 6: r = 1, a geometric with F(k) = 1 − (2/3)^(k+1).
    @Test func countQuantiles() {
        #expect(CountDistribution(mean: 2, variance: 2).quantiles([0.1, 0.5, 0.9, 0.99]) == [0, 2, 4, 6])
        #expect(CountDistribution(mean: 2, variance: 1).quantiles([0.5]) == [2])  // raised to Poisson
        #expect(CountDistribution(mean: 2, variance: 6).quantiles([0.3, 0.5, 0.9]) == [0, 1, 5])
        #expect(CountDistribution(mean: 0, variance: 0).quantiles([0.5, 0.99]) == [0, 0])
        let big = CountDistribution(mean: 5000, variance: 20000).quantiles([0.01, 0.5, 0.99])
        #expect(big[0] < 5000 && big[2] > 5000 && abs(big[1] - 5000) <= 2)
    }

    @Test func nanIsSkipped() throws {
        let withGaps: [Double] = [0, 2, .nan, 0, 0, 4, .nan]
        let compact: [Double] = [0, 2, 0, 0, 4]
        for model in [CrostonClassic(), CrostonSBA(), CrostonOptimized(), TSB(alphaD: 0.2, alphaP: 0.3), ADIDA(), IMAPA()] as [any Forecaster] {
            let a = try model.fit(withGaps, seasonLength: 1)
            let b = try model.fit(compact, seasonLength: 1)
            #expect(a.forecast(horizon: 2).mean == b.forecast(horizon: 2).mean, "\(model.name)")
            #expect(a.fitted[2].isNaN && a.fitted[6].isNaN, "\(model.name)")
        }
    }
}
