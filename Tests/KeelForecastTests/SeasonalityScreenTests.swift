import Foundation
import KeelForecast
import KeelTestSupport
import Testing

/// The seasonality screen automatic selection runs before fitting seasonal structures
/// (`SeasonalityScreen`, `AutoETS.screensSeason`, `SeasonalOnlyCandidate`).
@Suite struct SeasonalityScreenTests {
    static func noise(_ n: Int, seed: UInt64) -> [Double] {
        var g = SplitMix64(seed: seed)
        return (0..<n).map { _ in 20 + 3 * g.normal() }
    }

    /// The first seeded noise series of length n that fails the screen at 7 (about nine in ten do).
    static func unseasonalNoise(_ n: Int) -> [Double]? {
        (0..<50 as Range<UInt64>).lazy.map { noise(n, seed: $0) }.first { !SeasonalityScreen.shows($0, seasonLength: 7) }
    }

    static func weekly(_ n: Int, seed: UInt64, amplitude: Double = 4) -> [Double] {
        var g = SplitMix64(seed: seed)
        let profile = [1.0, -0.5, 0.2, -1, 0.6, 1.4, -1.7]
        return (0..<n).map { t in 20 + amplitude * profile[t % 7] + 3 * g.normal() }
    }

    /// The screen is a 90 % two-sided test: on white noise it passes about one series in ten
    /// (binomial with n = 400, p = 0.1: mean 40, sd 6; the band is ±3.3 sd). A clear weekly
    /// pattern (amplitude ≈ 1.3 noise sd) passes every time.
    @Test func passesNoiseAtItsNominalRateAndEverySeasonalSeries() {
        var noisePasses = 0, seasonalPasses = 0
        for seed in 0..<400 as Range<UInt64> {
            if SeasonalityScreen.shows(Self.noise(364, seed: seed), seasonLength: 7) { noisePasses += 1 }
            if SeasonalityScreen.shows(Self.weekly(364, seed: seed), seasonLength: 7) { seasonalPasses += 1 }
        }
        #expect((20...60).contains(noisePasses), "\(noisePasses) of 400 noise series passed")
        #expect(seasonalPasses == 400)
    }

    /// What the test cannot judge passes: m < 4 and fewer than two cycles.
    @Test func passesWhatItCannotJudge() {
        let y = Self.noise(20, seed: 1)
        #expect(SeasonalityScreen.shows(y, seasonLength: 3))
        #expect(SeasonalityScreen.shows(y, seasonLength: 12))
        #expect(SeasonalityScreen.shows(Self.noise(200, seed: 2), seasonLength: 1))
    }

    /// Missing values are interpolated for the test: a periodic series with holes still shows
    /// its season; an all-missing one is not judged.
    @Test func missingValuesAreInterpolated() {
        var y = (0..<140).map { t in [5.0, 1, 1, 1, 1, 1, 9][t % 7] }
        for t in stride(from: 3, to: 140, by: 11) { y[t] = .nan }
        #expect(SeasonalityScreen.shows(y, seasonLength: 7))
        #expect(SeasonalityScreen.shows([Double](repeating: .nan, count: 40), seasonLength: 7))
    }

    /// With the screen, a series that fails it gets a non-seasonal ETS structure; a series that
    /// passes gets exactly the unscreened search's fit.
    @Test func autoETSSearchesSeasonalStructuresOnlyForSeasonalSeries() throws {
        let plain = try #require(Self.unseasonalNoise(200))
        let screened = try AutoETS(screensSeason: true).fitAuto(plain, seasonLength: 7)
        #expect(screened.spec.season == .none)

        let y = Self.weekly(200, seed: 5)
        #expect(SeasonalityScreen.shows(y, seasonLength: 7))
        let a = try AutoETS(screensSeason: true).fitAuto(y, seasonLength: 7)
        let b = try AutoETS().fitAuto(y, seasonLength: 7)
        #expect(a.spec == b.spec && a.spec.season != .none)
        #expect(a.forecast(horizon: 7).mean == b.forecast(horizon: 7).mean)
    }

    /// Automatic selection leaves MSTL out for a series without seasonality (with MSTL the only
    /// candidate, the fallback chain answers); with a season MSTL is fitted and chosen. A model
    /// named by the caller is never screened.
    @Test func automaticSelectionLeavesMSTLOutWithoutSeasonality() throws {
        let plain = try #require(Self.unseasonalNoise(140))
        let only = AutoForecaster.Configuration(horizon: 7, seasonLength: 7, seasonLengths: [7], windows: 2, combine: 1,
                                                candidates: [.smooth: ["MSTL"], .intermittent: []])
        let screened = AutoForecaster(only).forecast(plain, levels: [0.5])
        #expect(screened.model == "SeasonalNaive" && screened.fallback == "SeasonalNaive")

        let seasonal = AutoForecaster(only).forecast(Self.weekly(140, seed: 4), levels: [0.5])
        #expect(seasonal.model == "MSTL" && seasonal.fallback == nil)

        var named = only
        named.screensSeasonalCandidates = false
        let unscreened = AutoForecaster(named).forecast(plain, levels: [0.5])
        #expect(unscreened.model == "MSTL" && unscreened.fallback == nil)
    }
}
