import KeelCore
import KeelForecast
import KeelStore

/// The yearly season of a category, put back into the forecasts of its series.
///
/// At SKU × location level most series are intermittent or short, and the models that fit them
/// (Croston family, ADIDA, IMAPA, window averages, non-seasonal ETS and Theta) forecast a level
/// with no yearly season, so a November forecast is flat through Black Friday and Christmas. A
/// category's total, summed over all its series, shows the season clearly. For forecast day
/// `asOf + t` the index is
///
///     I(t) = mean of the category's daily units on days asOf + t − 364 ± 3
///            ÷ mean of its daily units on the 28 days ending asOf − 364,
///
/// last year's demand at the same point of the season (364 days keeps the weekdays aligned)
/// relative to last year's level at the as-of point — the level the series' models carry now.
/// It needs 364 + 28 days of history and a non-zero base, and is clamped to [1/3, 3]. Means and
/// quantiles of every series of the category are multiplied by it, except for models that fit a
/// yearly season themselves (MSTL) or regress on calendar terms (regressions), which would count it twice.
public enum CategorySeasonality {
    public static let window = 3, base = 28, lag = 364

    /// Index per category (by item key) and forecast step 1…horizon; items without enough history are absent.
    /// - Parameter effects: per series, the price and promotion multipliers of the forecast
    ///   (`DriverEffects`: the last `count − effectsHorizon` history days, then the horizon), or
    ///   nil. Demand on those days counts as its baseline (units / multiplier), so that last year's
    ///   promotions are not put back by the index on top of this year's own multipliers.
    public static func indices(_ demand: DemandPanel, categoryOf: [Int64: String], asOf: Day, horizon: Int,
                               effects: [[Double]?] = [], effectsHorizon: Int = 0) -> [Int64: [Double]] {
        guard let first = demand.starts.min() else { return [:] }
        let span = asOf - first + 1
        guard span >= lag + base else { return [:] }
        // Daily totals per category, accumulated in place (one buffer per category, no copies).
        var slot: [String: Int] = [:]
        var totals: [[Double]] = []
        for s in 0..<demand.count {
            guard let category = categoryOf[demand.keys[s].itemKey] else { continue }
            let c: Int
            if let existing = slot[category] { c = existing } else {
                c = totals.count
                slot[category] = c
                totals.append([Double](repeating: 0, count: span))
            }
            let r = demand.range(s)
            let offset = demand.starts[s] - first
            let m = s < effects.count ? effects[s] : nil
            let covered = (m?.count ?? effectsHorizon) - effectsHorizon  // history days with a multiplier, ending on asOf
            for (k, i) in r.enumerated() where offset + k < span {
                let j = covered - 1 - (span - 1 - offset - k)
                totals[c][offset + k] += Double(demand.units[i]) / (j >= 0 ? m![j] : 1)
            }
        }
        var byCategory: [String: [Double]] = [:]
        let end = span - 1   // index of asOf
        for (category, c) in slot {
            let t = totals[c]
            let baseEnd = end - lag, baseStart = baseEnd - base + 1
            guard baseStart >= 0 else { continue }
            let level = t[baseStart...baseEnd].reduce(0, +) / Double(base)
            guard level > 0 else { continue }
            var index = [Double](repeating: 1, count: horizon)
            for step in 1...horizon {
                let centre = end + step - lag
                let lo = max(0, centre - window), hi = min(end, centre + window)
                guard lo <= hi else { continue }
                let m = t[lo...hi].reduce(0, +) / Double(hi - lo + 1)
                index[step - 1] = min(3, max(1.0 / 3, m / level))
            }
            byCategory[category] = index
        }
        var out: [Int64: [Double]] = [:]
        for (item, category) in categoryOf { if let i = byCategory[category] { out[item] = i } }
        return out
    }

    /// Whether a model already carries a yearly season or calendar terms.
    public static func modelIsSeasonal(_ model: String) -> Bool { model.contains("MSTL") || model.contains("Regression") }

    /// Scales the series' forecasts in place; returns how many series were adjusted.
    @discardableResult
    public static func apply(_ output: inout ForecastEngine.Output, keys: [DemandPanel.Key], indices: [Int64: [Double]]) -> Int {
        var adjusted = 0
        for s in output.series.indices {
            guard let index = indices[keys[s].itemKey], !modelIsSeasonal(output.series[s].model) else { continue }
            let h = min(index.count, output.series[s].mean.count)
            for t in 0..<h {
                output.series[s].mean[t] *= index[t]
                for j in output.series[s].quantiles.indices {
                    // Whole-number quantiles (count data) stay whole numbers.
                    let q = output.series[s].quantiles[j][t], scaled = q * index[t]
                    output.series[s].quantiles[j][t] = q == q.rounded() ? scaled.rounded() : scaled
                }
            }
            adjusted += 1
        }
        return adjusted
    }
}
