import KeelForecast
import KeelNumerics

/// The shared conformance check every forecaster must pass (after swift-collections'
/// conformance checkers): horizon lengths, finite output, ordered quantiles, determinism, and
/// missing values accepted. Returns the list of failures (empty when the model conforms).
public func checkForecasterConformance(_ model: any Forecaster, series: [Double], seasonLength: Int,
                                       horizon: Int = 14, levels: [Double] = [0.1, 0.5, 0.9, 0.99]) -> [String] {
    // OpenBLAS's thread count is process-wide and tests run concurrently: another test's
    // `ForecastEngine.run` may switch it to 1 between this check's two fits, and a different
    // thread count sums in a different order. Fix it first (as batch use does) so the
    // determinism check compares fits made under the same setting.
    Threading.useSingleThreadedBLAS()
    var failures: [String] = []
    func check(_ ok: Bool, _ what: String) { if !ok { failures.append("\(model.name): \(what)") } }
    let fitted: any FittedForecaster
    do { fitted = try model.fit(series, seasonLength: seasonLength) } catch {
        return ["\(model.name): fit failed on a conformance series: \(error)"]
    }
    check(fitted.name == model.name, "fitted name \(fitted.name) differs from the model's")
    check(fitted.fitted.count == series.count, "fitted values have \(fitted.fitted.count) entries for \(series.count) observations")
    for h in [1, horizon] {
        let f = fitted.predict(horizon: h, levels: levels)
        check(f.mean.count == h, "mean has \(f.mean.count) steps for horizon \(h)")
        check(f.quantiles.count == levels.count && f.quantiles.allSatisfy { $0.count == h }, "quantile shape wrong for horizon \(h)")
        check(f.mean.allSatisfy(\.isFinite), "non-finite mean for horizon \(h)")
        check(f.quantiles.allSatisfy { $0.allSatisfy(\.isFinite) }, "non-finite quantile for horizon \(h)")
        for step in 0..<h {
            for k in 1..<levels.count where f.quantiles[k][step] < f.quantiles[k - 1][step] - 1e-9 {
                failures.append("\(model.name): quantiles out of order at step \(step + 1)")
                break
            }
        }
    }
    // Determinism: a second fit gives the same forecast bit for bit.
    if let again = try? model.fit(series, seasonLength: seasonLength) {
        check(again.predict(horizon: horizon, levels: levels) == fitted.predict(horizon: horizon, levels: levels), "two fits of the same data differ")
    }
    // Missing values are accepted.
    var holes = series
    for i in stride(from: 3, to: holes.count, by: 11) { holes[i] = .nan }
    if let withHoles = try? model.fit(holes, seasonLength: seasonLength) {
        check(withHoles.predict(horizon: horizon, levels: levels).mean.allSatisfy(\.isFinite), "non-finite forecast when the series has missing values")
    } else {
        failures.append("\(model.name): fit failed on a series with missing values")
    }
    return failures
}
