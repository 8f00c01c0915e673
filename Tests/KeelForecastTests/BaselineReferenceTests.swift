import KeelForecast
import KeelTestSupport
import Testing

/// Baselines against statsforecast 2.1.1 on the nine small sales series (fixture script:
/// Scripts/fixtures/theta_croston_reference.py). The formulas are deterministic, so points and
/// Normal intervals must agree to 1e-6 relative (observed: ~1e-15).
@Suite struct BaselineReferenceTests {
    static let fixture = ReferenceFixture.shared
    static let ids = fixture.smooth.map(\.id)

    static func model(_ name: String) -> any Forecaster {
        switch name {
        case "Naive": return Naive()
        case "SeasonalNaive": return SeasonalNaive()
        case "HistoricAverage": return HistoricAverage()
        case "WindowAverage": return WindowAverage(window: 6)
        default: return SeasonalWindowAverage(window: 2)
        }
    }

    @Test(arguments: ids)
    func pointForecastsMatch(id: String) throws {
        let s = try #require(Self.fixture.smooth.first { $0.id == id })
        for name in ["Naive", "SeasonalNaive", "HistoricAverage", "WindowAverage", "SeasonalWindowAverage"] {
            let fitted = try Self.model(name).fit(s.y.values, seasonLength: s.season_length)
            let mean = fitted.forecast(horizon: s.horizon).mean
            let error = maxRelativeError(mean, try #require(s.models[name]).mean.values)
            #expect(error < 1e-6, "\(id) \(name): relative error \(error)")
        }
    }

    /// statsforecast's Normal intervals: lo-80/hi-80 are the 0.1/0.9 quantiles, lo-95/hi-95 the
    /// 0.025/0.975 ones.
    @Test(arguments: ids)
    func intervalsMatch(id: String) throws {
        let s = try #require(Self.fixture.smooth.first { $0.id == id })
        for name in ["Naive", "SeasonalNaive", "HistoricAverage"] {
            let f = try Self.model(name).fit(s.y.values, seasonLength: s.season_length)
                .predict(horizon: s.horizon, levels: [0.025, 0.1, 0.9, 0.975])
            let ref = try #require(s.models[name]).bounds
            for (k, key) in ["lo-95", "lo-80", "hi-80", "hi-95"].enumerated() {
                let error = maxRelativeError(f.quantiles[k], try #require(ref[key]).values)
                #expect(error < 1e-6, "\(id) \(name) \(key): relative error \(error)")
            }
        }
    }
}
