import Foundation
import KeelTestSupport
import Testing

@testable import KeelForecast

@Suite("STL and MSTL against statsmodels / statsforecast")
struct MSTLTests {
    let ref = MSTLRegressionReference.shared

    /// STL follows statsmodels' `_stl.pyx` operation for operation, so the components agree to
    /// rounding: max error ≤ 1e-11 of the component scale (observed ≤ 1e-13).
    @Test(arguments: ["default", "robust", "seasonal13"])
    func stlMatchesStatsmodels(_ variant: String) throws {
        let stl: STL
        let expected: MSTLRegressionReference.Components
        switch variant {
        case "robust": stl = try STL(period: 12, robust: true); expected = ref.stl.robust
        case "seasonal13": stl = try STL(period: 12, seasonal: 13); expected = ref.stl.seasonal13
        default: stl = try STL(period: 12); expected = ref.stl.default
        }
        let c = try stl.decompose(ref.stl.y)
        #expect(scaledMaxError(c.trend, expected.trend) < 1e-11)
        #expect(scaledMaxError(c.seasonal, expected.seasonal) < 1e-11)
        #expect(scaledMaxError(c.remainder, expected.resid) < 1e-11)
    }

    @Test func stlDefaultSpansFollowStatsmodels() throws {
        let s = try STL(period: 12)
        #expect(s.trend == 23 && s.lowPass == 13)  // ceil(1.5·12/(1 − 1.5/7)) = 23
        let w = try STL(period: 365, seasonal: 15)
        #expect(w.trend == 609 && w.lowPass == 367)
    }

    /// MSTL with periods [7, 365] and windows 11, 15: statsmodels (seasonal degree 1) and
    /// statsforecast's `mstl` (seasonal degree 0). Max error ≤ 1e-11 of the component scale (observed ≤ 1e-12).
    @Test(arguments: [1, 0])
    func mstlMatchesReference(_ degree: Int) throws {
        let expected = degree == 1 ? ref.mstl.statsmodels : ref.mstl.statsforecast
        let d = try MSTL.decompose(ref.mstl.y, periods: [365, 7], iterations: 2, seasonalDegree: degree)
        #expect(d.periods == [7, 365])
        #expect(scaledMaxError(d.trend, expected.trend) < 1e-11)
        #expect(scaledMaxError(d.seasonals[0], expected.seasonal7) < 1e-11)
        #expect(scaledMaxError(d.seasonals[1], expected.seasonal365) < 1e-11)
        #expect(scaledMaxError(d.remainder, expected.resid) < 1e-11)
    }

    /// Against statsforecast's `MSTL(season_length=[7, 365])` 28-day forecast. The seasonal
    /// parts are identical; the trend models differ (ours ETS ANN/AAdN by least squares, theirs
    /// AutoETS ZZN), so the forecasts agree only loosely: within 1 % (observed 0.22 %).
    @Test func forecastNearStatsforecast() throws {
        let f = try MSTL(seasonLengths: [7, 365]).fit(ref.mstl.y, seasonLength: 7).forecast(horizon: 28)
        let theirs = ref.mstl.statsforecast_forecast28
        let worst = zip(f.mean, theirs).map { abs($0 - $1) / abs($1) }.max()!
        #expect(worst < 0.01)
    }

    @Test func conformance() {
        let y = ref.mstl.y
        #expect(checkForecasterConformance(MSTL(seasonLengths: [7, 365]), series: y, seasonLength: 7).isEmpty)
        #expect(checkForecasterConformance(MSTL(), series: ref.stl.y, seasonLength: 12).isEmpty)
        #expect(checkForecasterConformance(MSTL(), series: Array(y.prefix(60)), seasonLength: 7).isEmpty)
    }

    @Test func dropsLongSeasonsAndForecastsSeasonalNaive() throws {
        let y = Array(ref.mstl.y.prefix(400))  // 365 needs > 730 observations: dropped
        let f = try MSTL(seasonLengths: [7, 365]).fitted(y, seasonLength: 1)
        #expect(f.decomposition.periods == [7])
        let trendOnly = f.trendModel.forecast(horizon: 21).mean
        let mean = f.forecast(horizon: 21).mean
        let season = f.decomposition.seasonals[0]
        for h in 0..<21 {
            #expect(abs(mean[h] - trendOnly[h] - season[season.count - 7 + h % 7]) < 1e-11)
        }
        #expect(f.fitted.count == y.count)
    }

    @Test func tooShortThrows() {
        #expect(throws: ForecastError.tooShort(model: "MSTL", needed: 15, got: 10)) {
            try MSTL(seasonLengths: [7, 365]).fit(Array(ref.mstl.y.prefix(10)), seasonLength: 7)
        }
        var holes = Array(ref.mstl.y.prefix(20))
        for i in 0..<10 { holes[i] = .nan }
        #expect(throws: ForecastError.tooShort(model: "MSTL", needed: 15, got: 10)) {
            try MSTL().fit(holes, seasonLength: 7)
        }
    }

    @Test func missingValuesAreInterpolated() throws {
        var y = ref.mstl.y
        y[100] = .nan; y[101] = .nan; y[500] = .nan
        let f = try MSTL(seasonLengths: [7, 365]).fitted(y, seasonLength: 7)
        #expect(f.forecast(horizon: 30).mean.allSatisfy { $0.isFinite })
        #expect(f.fitted.allSatisfy { $0.isFinite })
        let filled = MSTL.interpolateMissing([.nan, 1, .nan, .nan, 4, .nan])
        #expect(filled == [1, 1, 2, 3, 4, 4])
    }

    /// On the synthetic daily series (trend 0.03/day + weekly + yearly + noise of sd ≈ 1.7) the
    /// 28-day forecast is within 5% of the noise-free signal.
    @Test func forecastsTheSignal() throws {
        let y = ref.mstl.y
        let f = try MSTL(seasonLengths: [7, 365]).fit(y, seasonLength: 7).forecast(horizon: 28)
        for h in 0..<28 {
            let t = Double(y.count + h)
            let signal =
                100 + 0.03 * t + 12 * sin(2 * .pi * t / 7) + 5 * cos(4 * .pi * t / 7)
                + 25 * sin(2 * .pi * t / 365) + 8 * cos(4 * .pi * t / 365)
            #expect(abs(f.mean[h] - signal) / signal < 0.05)
        }
        #expect(f.variance!.allSatisfy { $0 > 0 })
    }
}
