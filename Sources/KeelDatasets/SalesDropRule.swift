import Foundation

/// How long an injected `sales_drop` lasts, judged from the pair's *realized* sales.
///
/// The generator's own criterion (not the detector's): an analyst holding only the pair's sales
/// history must be able to tell the gap from chance. Daily store units on the pair's ordinary
/// days in the `historyDays` before the gap (store open, SKU on sale, no promotion; days it ran
/// out of stock count as sold nothing, which only makes the estimate more cautious) give a
/// negative binomial by the method of moments: mean m, sample variance v, shape m² / (v − m)
/// (Poisson when v ≤ m). The mean is taken cautiously at m − 2 · √(max(v, m) / n). During the gap
/// the pair's demand follows the simulation's own expected level (trend, season, list price,
/// store traffic), never credited above the baseline's: day j's mean is
/// cautious × e_j / max(ē_baseline, ē_gap). The gap lasts the fewest days (at least
/// `minimumDays`) whose chance of no sale on every day, Π (1 + μ_j / k)^(−k), is at most
/// `chance`; a pair that would need more than `maximumDays` (a slow or erratic seller) or has
/// fewer than `minimumHistory` ordinary days gets no drop.
public enum SalesDropRule {
    /// The chance of so long an empty run by luck that the gap must stay below.
    public static let chance = 1e-12
    public static let minimumDays = 21
    /// At most a quarter: a shelf fault a shop would notice by then.
    public static let maximumDays = 90
    /// Ordinary days needed in the window before the gap (8 weeks).
    public static let minimumHistory = 56
    public static let historyDays = 182

    /// The gap's length in days, or nil when the pair cannot show a detectable drop.
    /// - Parameters:
    ///   - units: the pair's units on each ordinary day of the window before the gap.
    ///   - levels: the expected demand level on those same days (same order and count).
    ///   - gapLevels: the expected level on each day from the gap's first day on (0 when the store
    ///     is closed), at least as many days as the gap may last.
    public static func length(units: [Double], levels: [Double], gapLevels: [Double]) -> Int? {
        precondition(units.count == levels.count, "one expected level per ordinary day")
        guard units.count >= minimumHistory else { return nil }
        let n = Double(units.count)
        let mean = units.reduce(0, +) / n
        let variance = units.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let cautious = mean - 2 * (max(variance, mean) / n).squareRoot()
        let base = levels.reduce(0, +) / n
        guard cautious > 0, base > 0 else { return nil }
        let shape = variance > mean ? mean * mean / (variance - mean) : Double.infinity
        let limit = log(chance)
        var gapSum = 0.0, trading = 0
        for days in 1...min(maximumDays, gapLevels.count) {
            let e = gapLevels[days - 1]
            if e > 0 { gapSum += e; trading += 1 }
            guard days >= minimumDays, trading > 0 else { continue }
            let scale = cautious / max(base, gapSum / Double(trading))
            var logChance = 0.0
            for j in 0..<days where gapLevels[j] > 0 {
                let mu = scale * gapLevels[j]
                logChance -= shape.isFinite ? shape * log1p(mu / shape) : mu
            }
            if logChance <= limit { return days }
        }
        return nil
    }
}
