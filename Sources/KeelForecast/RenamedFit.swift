/// A fitted model under another name: the exogenous regressions answer as `DynamicRegressionX`
/// and `LogLinkRegressionX`, not as the models they wrap.
struct RenamedFit: FittedForecaster {
    let inner: any FittedForecaster
    let name: String
    var fitted: [Double] { inner.fitted }
    func forecast(horizon: Int) -> ModelForecast { inner.forecast(horizon: horizon) }
    func predict(horizon: Int, levels: [Double]) -> Forecast {
        var f = inner.predict(horizon: horizon, levels: levels)
        f.model = name
        return f
    }
}
