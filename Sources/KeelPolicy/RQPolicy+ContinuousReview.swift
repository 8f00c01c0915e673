/// The continuous-review (r, Q) policy (Federgruen & Zheng 1992, "An efficient algorithm for
/// computing an optimal (r, Q) policy in continuous review stochastic inventory systems",
/// Operations Research 40(4)).
///
/// **Cost model** (expected cost per period): the position is watched continuously; the moment
/// it reaches r an order of Q is placed, arriving `leadTime` periods later (fractional allowed).
/// With demand D over the lead time and G(y) = h·E(y − D)⁺ + p·E(D − y)⁺:
/// - Poisson demand (unit arrivals at rate λ per period): the position is uniform on
///   {r + 1, …, r + Q}, orders come at rate λ/Q, and C(r, Q) = [Kλ + Σ_{y=r+1}^{r+Q} G(y)] / Q
///   exactly; optimised by the same nested-window search as periodic review.
/// - Normal demand (μ, σ per period): the continuous analogue C(r, Q) = Kμ/Q + (1/Q)∫_r^{r+Q} G,
///   D ~ N(μL, σ²L) (Hadley & Whitin's model; an approximation, since normal demand has no unit
///   arrivals).
/// Unlike periodic review, the lead time is not extended by a review period: stock covers L, not
/// L + 1, periods of demand. With K = 0 the optimum is one-for-one replenishment (Q = 0).
extension RQPolicy {
    public static func optimizeContinuousReview(
        holding h: Double, stockout p: Double, fixedCost K: Double,
        demand: DemandDistribution, leadTime: Double
    ) throws -> Result {
        let protection = try checkContinuous(holding: h, stockout: p, fixedCost: K, demand: demand, leadTime: leadTime)
        if demand.isNormal {
            return continuousOptimum(h: h, p: p, K: K, period: demand, protection: protection, review: .continuous)
        }
        return try discreteOptimum(h: h, p: p, K: K, demand: demand, protection: protection, review: .continuous)
    }

    /// C(r, Q) under continuous review (Poisson: integer r, Q ≥ 1).
    public static func costContinuousReview(
        reorderPoint r: Double, orderQuantity q: Double, holding h: Double, stockout p: Double,
        fixedCost K: Double, demand: DemandDistribution, leadTime: Double
    ) throws -> Double {
        let d = try checkContinuous(holding: h, stockout: p, fixedCost: K, demand: demand, leadTime: leadTime)
        try Check.positive(q, "order quantity")
        if demand.isNormal {
            return continuousCost(r: r, q: q, h: h, p: p, K: K, period: demand, protection: d, review: .continuous)
        }
        guard q == q.rounded(), r == r.rounded() else { throw PolicyError(field: "(r, Q)", reason: "must be integers for Poisson demand") }
        var window = 0.0
        for y in stride(from: r + 1, through: r + q, by: 1) { window += d.newsvendorCost(level: y, holding: h, shortage: p) }
        return (K * demand.mean + window) / q
    }

    /// Checks the inputs and returns the lead-time demand.
    static func checkContinuous(
        holding h: Double, stockout p: Double, fixedCost K: Double, demand: DemandDistribution,
        leadTime: Double
    ) throws -> DemandDistribution {
        try Check.positive(h, "holding cost")
        try Check.positive(p, "stockout cost")
        try Check.nonNegative(K, "fixed cost")
        guard leadTime.isFinite, leadTime >= 0 else { throw PolicyError(field: "lead time", reason: "must be 0 or more periods, got \(leadTime)") }
        guard demand.mean > 0 else { throw PolicyError(field: "demand", reason: "mean demand per period must be greater than 0") }
        if !demand.isNormal {
            guard case .poisson = demand.family else {
                throw PolicyError(field: "demand", reason: "continuous review needs unit demands: give Poisson or normal demand")
            }
        }
        return try demand.overDuration(leadTime)
    }
}
