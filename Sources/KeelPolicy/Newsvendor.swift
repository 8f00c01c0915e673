/// The newsvendor / base-stock level under periodic review with backorders.
///
/// Each period the inventory position is raised to y; an order arrives after L periods, so the
/// stock y must cover the demand of L + 1 periods, D(L+1). The expected cost per period is
/// G(y) = h·E[(y − D)⁺] + p·E[(D − y)⁺] = h(y − μ) + (h + p)·E[(D − y)⁺], minimised by the
/// critical fractile: the smallest y with P(D ≤ y) ≥ p/(p + h). For normal demand that is
/// μ + zσ with cost (h + p)σφ(z); for discrete demand a support value, with the cost an exact sum.
public enum Newsvendor {
    public struct Result: Sendable, Equatable {
        public let baseStock: Double
        public let cost: Double
        /// p/(p + h).
        public let criticalRatio: Double
        /// The demand over L + 1 periods the base stock covers.
        public let protectionDemand: DemandDistribution
    }

    /// - Parameters: h, p > 0; `demand` per period; `leadTime` L ≥ 0 periods.
    public static func solve(holding h: Double, stockout p: Double, demand: DemandDistribution, leadTime: Int = 0) throws -> Result {
        try Check.positive(h, "holding cost")
        try Check.positive(p, "stockout cost")
        try Check.leadTime(leadTime)
        let d = try demand.overPeriods(leadTime + 1)
        let ratio = p / (p + h)
        let y = try d.quantile(ratio)
        return Result(baseStock: y, cost: d.newsvendorCost(level: y, holding: h, shortage: p), criticalRatio: ratio, protectionDemand: d)
    }
}
