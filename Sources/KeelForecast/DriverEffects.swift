import Foundation

/// Price and promotion effects for the series of a daily panel, learned per group (a department)
/// by `PooledRegression`, so that a sparse store × SKU series uses the price elasticity and
/// promotion uplift of its peers, and given as one multiplier per day over each series' recent
/// history and its horizon.
///
/// For series i on day t: `mᵢₜ = exp(β_price·log(pᵢₜ / p̄ᵢ) + β_promotion·promoᵢₜ)` with the group's
/// pooled coefficients and p̄ᵢ the median of the series' history prices (the regular price), so a
/// day at the regular price without promotion has multiplier 1. The pooled model also carries day
/// of week and yearly terms (and a level per series) so that the price and promotion coefficients
/// are not confounded with the calendar; only the price and promotion parts become multipliers —
/// the calendar is the univariate models' job. The exponent is bounded to ±`maximumLogEffect`.
///
/// The forecasting engine divides a series' history by its multipliers (demand at the regular
/// price, without promotions: the baseline), chooses and fits its models on that baseline as
/// usual, and multiplies forecasts and backtests by the multipliers of their days (see
/// `AutoForecaster.forecast(_:levels:extra:effects:)`). Series whose drivers never move get no
/// multipliers, and groups whose fit fails are reported, not adjusted.
public struct DriverEffects: Sendable {
    /// One group's pooled fit.
    public struct GroupSummary: Sendable, Codable {
        public var group: String
        /// Series fitted on (those whose price or promotion moves) and series adjusted.
        public var series: Int
        public var adjusted: Int
        /// β_price (the price elasticity) and exp(β_promotion) (the promotion uplift at the regular price).
        public var elasticity: Double?
        public var promotionUplift: Double?
        public var iterations: Int
        public var converged: Bool
        /// A coefficient of the wrong sign fixed at no effect (see `signConstrainedFit`), if any.
        public var constrained: String?
        /// Why the group has no fit of its own, if it has none.
        public var failure: String?
        /// Whether the group, without a fit of its own, takes the whole panel's effects.
        public var usesChain = false
    }

    /// Per series of the panel, multipliers over its last `count − horizon` history days and the
    /// `horizon` days after them; nil for a series without adjustment.
    public var multipliers: [[Double]?]
    public var groups: [GroupSummary]
    /// The whole panel's fit, the prior of the groups' (nil with a single group).
    public var panel: GroupSummary?
    public var adjustedCount: Int { multipliers.lazy.filter { $0 != nil }.count }

    public static let maximumLogEffect = 3.0
    /// The span of history that shares one level in the pooled fit (eight weeks).
    public static let blockDays = 56

    /// Prior standard deviations of a group's effects around the whole panel's: the price
    /// elasticity (±0.5) and the log promotion uplift (±0.25, i.e. ×0.78 … ×1.28).
    public static let priorSD = (price: 0.5, promotion: 0.25)

    /// - Parameters:
    ///   - panel: daily histories, all ending on the same day.
    ///   - groups: each series' group label (e.g. its department).
    ///   - prices, promotions: per series, `days` values: the last `days − horizon` history days,
    ///     then the horizon.
    ///   - varies: per series, whether its price or promotion moves over those days.
    ///
    /// With more than one group the whole panel is fitted first, and each group's effects are
    /// then fitted with a prior centred on the panel's (`PooledRegression.prior`, standard
    /// deviations `priorSD` under the panel fit's dispersion): a group with little price or
    /// promotion history stays near the panel's effects, one with plenty follows its own.
    public static func estimate(_ panel: SeriesPanel, groups: [String], days: Int, horizon: Int,
                                prices: (Int) -> ArraySlice<Double>, promotions: (Int) -> ArraySlice<Double>,
                                varies: [Bool]) -> DriverEffects {
        precondition(groups.count == panel.count && varies.count == panel.count, "one group label and one flag per series")
        let historyDays = days - horizon
        var members: [String: [Int]] = [:]
        for s in 0..<panel.count where varies[s] { members[groups[s], default: []].append(s) }
        let names = members.keys.sorted()
        // Each series' history in blocks of `blockDays` with a level of their own (the pooled
        // model's per-entry level), keeping the blocks with a sale in which price or promotion moves: the
        // effects are then learned from changes within a few weeks, not confounded with a
        // series' trend, launch or decline over the years.
        var references = [Double](repeating: 1, count: panel.count)
        var blocks: [String: [SeriesWithFeatures]] = [:]
        for group in names {
            var list: [SeriesWithFeatures] = []
            for s in members[group]! {
                let y = panel.series(s)
                let n = min(y.count, historyDays)
                let p = Array(prices(s).prefix(historyDays).suffix(n))
                let q = Array(promotions(s).prefix(historyDays).suffix(n))
                let values = Array(y.suffix(n))
                references[s] = PooledRegression.referencePrice(p)
                let firstDay = panel.starts[s] + (y.count - n)
                // Blocks end on the history's last day; a first piece shorter than half a block joins the next.
                let r = n % blockDays
                var lower = 0, upper = r == 0 ? min(n, blockDays) : (r < blockDays / 2 ? min(n, blockDays + r) : r)
                while lower < n {
                    let range = lower..<upper
                    // A block without a sale has level 0 and tells nothing about the effects.
                    if range.contains(where: { values[$0] > 0 }),
                       range.dropFirst().contains(where: { p[$0] != p[$0 - 1] || q[$0] != q[$0 - 1] }) {
                        list.append(SeriesWithFeatures(
                            id: "\(panel.ids[s])#\(lower)", firstDay: firstDay + lower, y: Array(values[range]), price: Array(p[range]),
                            referencePrice: references[s], promotion: Array(q[range])))
                    }
                    lower = upper
                    upper = min(n, upper + blockDays)
                }
            }
            blocks[group] = list
        }
        let base = PooledRegression(yearlyTerms: historyDays >= 730 ? 3 : (historyDays >= 365 ? 1 : 0))

        // The whole panel's effects: the prior of every group's.
        var panelSummary: GroupSummary? = nil
        var prior: (mean: [Double], precision: [Double])? = nil
        if names.count > 1 {
            var model = base
            model.name = "DriverEffects[all]"
            var summary = GroupSummary(group: "(all)", series: names.reduce(0) { $0 + members[$1]!.count }, adjusted: 0, iterations: 0, converged: false)
            let all = names.flatMap { blocks[$0]! }
            if all.isEmpty {
                summary.failure = "price and promotion move only in the horizon: nothing to learn from"
            } else {
                do {
                    if let fit = try signConstrainedFit(model, all, &summary) {
                        summary.elasticity = fit.elasticity
                        summary.promotionUplift = exp(fit.promotion)
                        let p = base.columnNames.count
                        var mean = [Double](repeating: 0, count: p), precision = mean
                        mean[0] = fit.elasticity; mean[1] = fit.promotion
                        precision[0] = fit.dispersion / (priorSD.price * priorSD.price)
                        precision[1] = fit.dispersion / (priorSD.promotion * priorSD.promotion)
                        prior = (mean, precision)
                    }
                } catch {
                    summary.failure = error.description
                }
            }
            panelSummary = summary
        }

        var multipliers = [[Double]?](repeating: nil, count: panel.count)
        var summaries: [GroupSummary] = []
        for group in names {
            let indices = members[group]!
            var summary = GroupSummary(group: group, series: indices.count, adjusted: 0, iterations: 0, converged: false)
            var effect: (elasticity: Double, promotion: Double)? = nil
            if let series = blocks[group], !series.isEmpty {
                var model = base
                model.name = "DriverEffects[\(group)]"
                model.prior = prior
                do {
                    if let fit = try signConstrainedFit(model, series, &summary) { effect = (fit.elasticity, fit.promotion) }
                } catch {
                    summary.failure = error.description
                }
            } else {
                summary.failure = "no sale in a block where price or promotion moves: nothing of its own to learn from"
            }
            // A department without a fit of its own takes the whole chain's effects (its prior's
            // centre), recorded as such; without a chain fit either it is not adjusted.
            if effect == nil, let prior {
                effect = (prior.mean[0], prior.mean[1])
                summary.usesChain = true
            }
            if let (elasticity, promotion) = effect {
                summary.elasticity = elasticity
                summary.promotionUplift = exp(promotion).isFinite ? exp(promotion) : nil
                for s in indices {
                    let p = prices(s), q = promotions(s)
                    var m = [Double](repeating: 1, count: days)
                    for (d, (price, promo)) in zip(p, q).enumerated() {
                        var eta = promo * promotion
                        if price.isFinite && price > 0 { eta += elasticity * log(price / references[s]) }
                        m[d] = exp(min(maximumLogEffect, max(-maximumLogEffect, eta)))
                    }
                    multipliers[s] = m
                }
                summary.adjusted = indices.count
            }
            summaries.append(summary)
        }
        return DriverEffects(multipliers: multipliers, groups: summaries, panel: panelSummary)
    }

    /// The group's (β_price, β_promotion) under the economic signs: demand does not rise with
    /// price (β_price ≤ 0) and a promotion does not lower demand at a given price (β_promotion ≥ 0).
    /// Price cuts and promotions mostly come together, so the two are nearly collinear and a free
    /// fit can trade one against the other (a positive elasticity offset by a huge uplift) — which
    /// then misprices every list-price change. A coefficient of the wrong sign is fixed at 0 and the
    /// other refitted alone (an active set of two); nil when no fit keeps both signs. Throws the
    /// pooled fit's errors; the summary records iterations, convergence and what was constrained.
    static func signConstrainedFit(_ model: PooledRegression, _ series: [SeriesWithFeatures],
                                   _ summary: inout GroupSummary) throws(ForecastError) -> (elasticity: Double, promotion: Double, dispersion: Double)? {
        func fit(_ group: [SeriesWithFeatures], _ model: PooledRegression) throws(ForecastError) -> (Double, Double, Double)? {
            let f = try model.coefficients(group: group)
            summary.iterations += f.iterations
            summary.converged = f.converged
            let b = f.coefficients[0], g = f.coefficients[1]
            guard f.converged, b.isFinite, g.isFinite else {
                summary.failure = "the pooled fit did not converge in \(f.iterations) iterations"
                return nil
            }
            return (b, g, f.dispersion)
        }
        guard let (b, g, phi) = try fit(series, model) else { return nil }
        if b <= 0 && g >= 0 { return (b, g, phi) }
        if b > 0 && g < 0 {
            summary.failure = String(format: "wrong signs: elasticity %+.2f, promotion uplift ×%.2f", b, exp(g))
            return nil
        }
        // One sign is wrong: without that driver (its effect 0, and no prior on it), the other alone.
        let dropPrice = b > 0
        summary.constrained = String(format: dropPrice ? "price effect %+.2f set to 0" : "promotion effect ×%.2f set to ×1", dropPrice ? b : exp(g))
        let reduced = series.map { s -> SeriesWithFeatures in
            var s = s
            if dropPrice { s.price = nil } else { s.promotion = nil }
            return s
        }
        var reducedModel = model
        if var prior = reducedModel.prior {
            prior.precision[dropPrice ? 0 : 1] = 0
            prior.mean[dropPrice ? 0 : 1] = 0
            reducedModel.prior = prior
        }
        guard let (b2, g2, phi2) = try fit(reduced, reducedModel) else { return nil }
        let kept = dropPrice ? g2 : b2
        guard dropPrice ? kept >= 0 : kept <= 0 else {
            summary.failure = String(format: dropPrice ? "promotion uplift ×%.2f alone" : "elasticity %+.2f alone", dropPrice ? exp(kept) : kept)
            return nil
        }
        return dropPrice ? (0, g2, phi2) : (b2, 0, phi2)
    }
}
