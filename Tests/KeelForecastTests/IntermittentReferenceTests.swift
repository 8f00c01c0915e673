import KeelForecast
import KeelTestSupport
import Testing

/// The intermittent-demand models against statsforecast 2.1.1 on ten zero-heavy PBS series and
/// three hand-made ones. Croston classic/SBA, TSB, ADIDA and IMAPA are deterministic formulas
/// (ADIDA/IMAPA's golden section is transcribed step for step): 1e-6 relative, points and (for
/// classic, SBA, TSB) fitted values. CrostonOptimized uses the same golden section too, but its
/// stopping rule (|b − a| < 1e-12 or an exact tie of two SSEs) can end one step apart under
/// different rounding, moving α by up to the last bracket width: 1e-4 relative.
@Suite struct IntermittentReferenceTests {
    static let fixture = ReferenceFixture.shared
    static let ids = fixture.intermittent.map(\.id)
    static let models: [(String, any Forecaster, Double)] = [
        ("CrostonClassic", CrostonClassic(), 1e-6), ("CrostonSBA", CrostonSBA(), 1e-6),
        ("CrostonOptimized", CrostonOptimized(), 1e-4), ("TSB", TSB(alphaD: 0.2, alphaP: 0.2), 1e-6),
        ("ADIDA", ADIDA(), 1e-6), ("IMAPA", IMAPA(), 1e-6),
    ]

    @Test(arguments: ids)
    func pointForecastsMatch(id: String) throws {
        let s = try #require(Self.fixture.intermittent.first { $0.id == id })
        for (name, model, tolerance) in Self.models {
            let fit = try model.fit(s.y.values, seasonLength: 12)
            let ref = try #require(s.models[name])
            let error = maxRelativeError(fit.forecast(horizon: s.horizon).mean, ref.mean.values)
            print("intermittent-point \(id) \(name) \(error)")
            #expect(error < tolerance, "\(id) \(name): relative error \(error)")
            if let refFitted = ref.fitted {
                let fittedError = maxRelativeError(fit.fitted, refFitted.values)
                #expect(fittedError < 1e-6, "\(id) \(name) fitted: relative error \(fittedError)")
                #expect(fit.fitted.map(\.isNaN) == refFitted.values.map(\.isNaN), "\(id) \(name): NaN pattern of fitted values")
            }
        }
    }
}
