/// Rolling-origin evaluation over a panel: for each window w = 1…W the last w·h periods are
/// withheld, every model forecasts the next h from what remains, and the forecasts are scored
/// against the withheld values (MASE with the season length, RMSSE, sMAPE, bias, mean pinball
/// loss over the requested levels, and the coverage of each level). Scores are averaged over
/// series and windows (series whose score is not finite, e.g. a zero scale, are skipped and
/// counted).
public enum Backtest {
    public struct Score: Sendable, Codable {
        public var model: String
        public var series: Int
        public var mase: Double
        public var rmsse: Double
        public var smape: Double
        public var bias: Double
        public var pinball: Double
        public var coverage: [Double]
        public var seconds: Double
        public var skipped: Int
    }

    public static func run(_ panel: SeriesPanel, models: [String?], request: ForecastEngine.Request, windows: Int) async -> [Score] {
        let h = request.horizon
        var scores: [Score] = []
        for model in models {
            var sums = (mase: 0.0, rmsse: 0.0, smape: 0.0, bias: 0.0, pinball: 0.0)
            var counts = (mase: 0, rmsse: 0, smape: 0, bias: 0, pinball: 0)
            var cover = [Double](repeating: 0, count: request.levels.count), coverN = 0
            var seconds = 0.0, evaluated = 0, skipped = 0
            for w in stride(from: windows, through: 1, by: -1) {
                var train = SeriesPanel(frequency: panel.frequency)
                var actuals: [[Double]] = []
                for s in 0..<panel.count {
                    let y = Array(panel.series(s))
                    guard y.count > w * h + 2 else { continue }
                    let cut = y.count - w * h
                    train.append(id: panel.ids[s], start: panel.starts[s], values: Array(y[0..<cut]))
                    actuals.append(Array(y[cut..<(cut + h)]))
                }
                var r = request
                r.models = model.map { [$0] }
                let clock = ContinuousClock.now
                let out = await ForecastEngine.run(train, r)
                let elapsed = ContinuousClock.now - clock
                seconds += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                for s in 0..<train.count {
                    let history = Array(train.series(s)), actual = actuals[s], f = out.series[s]
                    func add(_ v: Double, _ sum: inout Double, _ n: inout Int) { if v.isFinite { sum += v; n += 1 } else { skipped += 1 } }
                    add(Metrics.mase(actual: actual, forecast: f.mean, history: history, seasonLength: request.seasonLength), &sums.mase, &counts.mase)
                    add(Metrics.rmsse(actual: actual, forecast: f.mean, history: history), &sums.rmsse, &counts.rmsse)
                    add(Metrics.smape(actual: actual, forecast: f.mean), &sums.smape, &counts.smape)
                    add(Metrics.bias(actual: actual, forecast: f.mean).meanError, &sums.bias, &counts.bias)
                    var pin = 0.0
                    for (k, level) in request.levels.enumerated() {
                        pin += Metrics.pinball(actual: actual, quantile: f.quantiles[k], level: level)
                        let c = Metrics.coverage(actual: actual, quantile: f.quantiles[k])
                        if c.isFinite { cover[k] += c }
                    }
                    coverN += 1
                    add(pin / Double(max(1, request.levels.count)), &sums.pinball, &counts.pinball)
                    evaluated += 1
                }
            }
            func avg(_ s: Double, _ n: Int) -> Double { n > 0 ? s / Double(n) : .nan }
            scores.append(Score(model: model ?? "auto", series: evaluated / max(1, windows), mase: avg(sums.mase, counts.mase),
                                rmsse: avg(sums.rmsse, counts.rmsse), smape: avg(sums.smape, counts.smape), bias: avg(sums.bias, counts.bias),
                                pinball: avg(sums.pinball, counts.pinball), coverage: cover.map { $0 / Double(max(1, coverN)) },
                                seconds: seconds, skipped: skipped))
        }
        return scores
    }
}
