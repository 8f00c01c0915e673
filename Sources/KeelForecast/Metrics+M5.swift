/// One bottom series for the M5 weighted scores.
public struct EvaluationSeries: Sendable, Hashable {
    /// Training values (all series the same length).
    public var history: [Double]
    /// Actuals over the evaluation horizon.
    public var actual: [Double]
    /// Point forecasts over the horizon (used by WRMSSE; aggregated bottom-up).
    public var forecast: [Double]
    /// The weight basis: dollar sales over the last 28 days of training (see `Metrics.dollarSales`).
    public var dollarSales: Double
    public init(history: [Double], actual: [Double], forecast: [Double] = [], dollarSales: Double) {
        self.history = history
        self.actual = actual
        self.forecast = forecast
        self.dollarSales = dollarSales
    }
}

extension Metrics {
    /// The M5 quantile levels.
    public static let m5Levels: [Double] = [0.005, 0.025, 0.165, 0.25, 0.5, 0.75, 0.835, 0.975, 0.995]

    /// Dollar sales over the last `window` days of `history`: `Σ y_t · p_t`, `prices` aligned
    /// with the last `prices.count` days (one price = a constant price). NaN days skipped.
    public static func dollarSales(history: [Double], prices: [Double], window: Int = 28) -> Double {
        let start = max(0, history.count - window)
        var s = 0.0
        for t in start..<history.count where !history[t].isNaN {
            let p = prices.count == 1 ? prices[0] : prices[prices.count - (history.count - t)]
            s += history[t] * p
        }
        return s
    }

    /// WRMSSE (M5): the bottom `series` are summed over `hierarchy` (use the 11 `HierarchyLevel.m5`
    /// levels for the competition's 12); every row gets `RMSSE` of its summed forecast and weight
    /// `w_i = dollar sales of i / total dollar sales` (so each level's weights sum to 1), and
    ///     WRMSSE = (1/L) Σ_levels Σ_{i ∈ level} w_i · RMSSE_i.
    /// O(nnz(A) × (T + h)) time, O(T + h) extra memory per row.
    public static func wrmsse(_ series: [EvaluationSeries], hierarchy: Hierarchy) -> MetricSummary {
        precondition(series.allSatisfy { $0.forecast.count == $0.actual.count }, "wrmsse: forecast and actual lengths differ")
        let forecasts = series.map(\.forecast)
        return weighted("WRMSSE", series, hierarchy) { row, history, actual in
            rmsse(actual: actual, forecast: hierarchy.rowSeries(row, bottomSeries: forecasts), history: history)
        }
    }

    /// WSPL (M5 uncertainty): `quantiles[i]` is the quantile forecast of hierarchy row `i` (all
    /// rows: quantiles do not add up, so aggregates need their own); for each row
    /// `SPL_i = (1/K) Σ_k scaledPinball(τ_k)` over its `levels`, weighted as in `wrmsse`.
    public static func wspl(_ series: [EvaluationSeries], hierarchy: Hierarchy, quantiles: [Forecast]) -> MetricSummary {
        precondition(quantiles.count == hierarchy.count, "wspl: \(quantiles.count) quantile forecasts for \(hierarchy.count) rows")
        return weighted("WSPL", series, hierarchy) { row, history, actual in
            let f = quantiles[row], scale = splScale(history: history)
            var s = 0.0
            for (k, tau) in f.levels.enumerated() { s += pinball(actual: actual, quantile: f.quantiles[k], level: tau) }
            return s / Double(f.levels.count) / scale
        }
    }

    static func weighted(
        _ name: String, _ series: [EvaluationSeries], _ h: Hierarchy,
        score: (_ row: Int, _ history: [Double], _ actual: [Double]) -> Double
    ) -> MetricSummary {
        precondition(series.count == h.bottomCount, "\(name): \(series.count) series for \(h.bottomCount) bottom rows")
        let histories = series.map(\.history), actuals = series.map(\.actual)
        let dollars = series.map(\.dollarSales)
        let total = dollars.reduce(0, +)
        var scores: [SeriesScore] = [], levelValues: [String: Double] = [:], skipped = 0
        for level in h.levels {
            var v = 0.0
            for row in level.rows {
                let weight = (row < h.aggregateCount ? h.members(ofAggregate: row).reduce(0) { $0 + dollars[$1] } : dollars[row - h.aggregateCount]) / total
                let s = score(row, h.rowSeries(row, bottomSeries: histories), h.rowSeries(row, bottomSeries: actuals))
                scores.append(SeriesScore(id: h.rowIDs[row], level: level.name, weight: weight, value: s))
                if s.isFinite { v += weight * s } else { skipped += 1 }
            }
            levelValues[level.name] = v
        }
        let overall = h.levels.reduce(0) { $0 + levelValues[$1.name]! } / Double(h.levels.count)
        return MetricSummary(metric: name, value: overall, levelValues: levelValues, levelOrder: h.levels.map(\.name), series: scores, skipped: skipped)
    }
}
