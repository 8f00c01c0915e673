import KeelCore
import KeelStore

extension KPICalculator {
    /// Forecast accuracy on the last completed horizon: the latest successful forecast run whose
    /// last day is on or before both the as-of date and the demand history's last day (so every
    /// forecast day has actuals).
    ///
    /// Scored points are forecast rows naming a (channel, location, sku) demand series, on days that
    /// are not stockouts (censored demand is unknown, not zero); a day before the series' first sale
    /// has actual 0. With n points, actuals `a` and means `f`:
    /// WAPE = Σ|f − a| / Σa; bias = (Σf − Σa) / Σa; MAE = Σ|f − a| / n; scaled error (MASE-like,
    /// pooled) = MAE / naive MAE, where naive MAE = mean |a_t − a_{t−1}| over every pair of
    /// consecutive days of the scored series up to the run's last day, neither day a stockout.
    func forecastAccuracy(_ panel: DemandPanel) throws -> Measured<ForecastAccuracyKPI> {
        guard let end = panel.endDay else { return .unavailable("no demand history (no sales imported)") }
        let cutoff = min(end, asOf)
        guard let latest = try reader.scalar("SELECT MAX(run_id) FROM runs WHERE kind = 'forecast' AND status = 'succeeded'").int else {
            return .unavailable("no successful forecast run yet")
        }
        guard let runId = try reader.scalar("""
            SELECT r.run_id FROM runs r WHERE r.kind = 'forecast' AND r.status = 'succeeded'
              AND (SELECT MAX(day) FROM forecasts f WHERE f.run_id = r.run_id) <= ?
            ORDER BY r.run_id DESC LIMIT 1
            """, [.integer(Int64(cutoff.rawValue))]).int else {
            return .unavailable("no forecast run has a completed horizon: every one (latest: run \(latest)) forecasts days after \(cutoff), the last day with actuals")
        }
        let run = try reader.forecastRun(runId)
        struct SeriesKey: Hashable { var channel: Channel; var location: Int64; var item: Int64 }
        var index: [SeriesKey: Int] = [:]
        for s in 0..<panel.count {
            let k = panel.keys[s]
            index[SeriesKey(channel: k.channel, location: k.locationKey, item: k.itemKey)] = s
        }
        var points = 0, censored = 0, unmatched = 0, actual = 0.0, forecast = 0.0, absError = 0.0
        var scored = [Bool](repeating: false, count: panel.count)
        var first: Day?, last: Day?
        for r in run.rows {
            first = min(first ?? r.day, r.day); last = max(last ?? r.day, r.day)
            guard let ch = r.channel, let l = r.locationKey, let it = r.itemKey,
                  let s = index[SeriesKey(channel: ch, location: l, item: it)] else { unmatched += 1; continue }
            let offset = r.day - panel.starts[s]
            var a = 0.0
            if offset >= 0 {
                let i = panel.range(s).lowerBound + offset
                if panel.isStockout(i) { censored += 1; continue }
                a = Double(panel.units[i])
            }
            points += 1; actual += a; forecast += r.yhat; absError += abs(r.yhat - a)
            scored[s] = true
        }
        guard let firstDay = first, let lastDay = last else { return .unavailable("forecast run \(runId) holds no forecasts") }
        var naiveSum = 0.0, pairs = 0
        for s in 0..<panel.count where scored[s] {
            let r = panel.range(s)
            let upper = min(r.upperBound, r.lowerBound + (lastDay - panel.starts[s]) + 1)
            var i = r.lowerBound + 1
            while i < upper {
                if !panel.isStockout(i), !panel.isStockout(i - 1) {
                    naiveSum += abs(Double(panel.units[i]) - Double(panel.units[i - 1])); pairs += 1
                }
                i += 1
            }
        }
        let mae = points == 0 ? nil : absError / Double(points)
        let naive = pairs == 0 ? nil : naiveSum / Double(pairs)
        return .value(ForecastAccuracyKPI(
            runId: runId, firstDay: firstDay, lastDay: lastDay, points: points, censoredPoints: censored, unmatchedRows: unmatched,
            actualUnits: actual, forecastUnits: forecast,
            wape: actual == 0 ? nil : absError / actual, bias: actual == 0 ? nil : (forecast - actual) / actual, mae: mae,
            scaledError: mae.flatMap { m in naive.flatMap { $0 == 0 ? nil : m / $0 } }, naiveMAE: naive, naivePairs: pairs))
    }
}
