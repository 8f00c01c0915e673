#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif

/// The (r, Q) policy with backorders: when the inventory position falls to r or below, order Q
/// (a multiple of Q, if one order is not enough to lift it above r); an order arrives after L
/// periods.
///
/// **Cost model** (expected cost per period; h holding per unit per period, p backorder per unit
/// per period, K per order). With the inventory position y after ordering, the net stock L
/// periods later is y − D(L+1), D(L+1) the demand of L + 1 periods, so a period costs
/// G(y) = h(y − E D(L+1)) + (h + p)·E[(D(L+1) − y)⁺].
/// - **Discrete demand** (integer valued, ≥ 0: Poisson, negative binomial, a pmf), periodic
///   review, the (r, nQ) policy: y is uniform on {r + 1, …, r + Q} (its chain is a circulant), an
///   order is placed in a period with probability A(Q) = (1/Q)·Σⱼ₌₁^Q P(D ≥ j), D one period's
///   demand, so exactly C(r, Q) = K·A(Q) + (1/Q)·Σ_{y=r+1}^{r+Q} G(y). Optimised exactly in the
///   manner of Federgruen & Zheng (1992): G is convex, so the best window of Q levels is the Q
///   smallest G values, nested in Q; the search over Q stops once the window's mean G (a lower
///   bound on every later C) reaches the best C found. (Exact when the inventory-position chain is
///   irreducible, e.g. P(D = 1) > 0 as for Poisson.)
/// - **Normal demand**: the same periodic-review (r, nQ) model with continuous demand (Hadley &
///   Whitin; Zipkin 2000, ch. 6): y is uniform on (r, r + Q], an order is placed in a period with
///   probability A(Q) = (E D⁺ − E(D − Q)⁺)/Q (D one period's demand; A → μ/Q, the continuous-review
///   rate, when Q is large against μ), and C(r, Q) = K·A(Q) + (1/Q)∫_r^{r+Q} G(y) dy, the integral
///   in closed form through the second-order loss. For each Q the best r solves G(r) = G(r + Q)
///   (bisection); Q is found by a scan of 400 log-spaced points up to the bound where
///   Q·hp/(2(h + p)) (a lower bound on C by Jensen's inequality) exceeds a feasible policy's cost,
///   refined by golden-section search around the best point. When the limit Q → 0 is best (always
///   when K = 0; when a period's demand dwarfs the economic lot), the result is the base-stock
///   policy "order up to r every period", reported as Q = 0 with cost K·P(D > 0) + G(r). (Exact
///   but for the normal's mass below 0, which the model treats as returns.)
public enum RQPolicy {
    public struct Result: Sendable, Equatable {
        public let reorderPoint: Double
        public let orderQuantity: Double
        public let cost: Double
        /// Expected orders per period.
        public let orderFrequency: Double
    }

    /// - Parameters: h, p > 0; K ≥ 0; `demand` per period (normal, or integer valued ≥ 0 with
    ///   mean > 0); `leadTime` L ≥ 0.
    public static func optimize(
        holding h: Double, stockout p: Double, fixedCost K: Double,
        demand: DemandDistribution, leadTime: Int
    ) throws -> Result {
        try check(holding: h, stockout: p, fixedCost: K, demand: demand, leadTime: leadTime)
        let protection = try demand.overPeriods(leadTime + 1)
        if demand.isNormal {
            return continuousOptimum(h: h, p: p, K: K, period: demand, protection: protection, review: .periodic)
        }
        return try discreteOptimum(h: h, p: p, K: K, demand: demand, protection: protection, review: .periodic)
    }

    /// The expected cost per period of a given (r, Q), by the model above (discrete demand: r and
    /// Q integers, Q ≥ 1).
    public static func cost(
        reorderPoint r: Double, orderQuantity q: Double, holding h: Double, stockout p: Double,
        fixedCost K: Double, demand: DemandDistribution, leadTime: Int
    ) throws -> Double {
        try check(holding: h, stockout: p, fixedCost: K, demand: demand, leadTime: leadTime)
        let d = try demand.overPeriods(leadTime + 1)
        if demand.isNormal {
            try Check.positive(q, "order quantity")
            return continuousCost(r: r, q: q, h: h, p: p, K: K, period: demand, protection: d, review: .periodic)
        }
        guard q >= 1, q == q.rounded(), r == r.rounded() else {
            throw PolicyError(field: "(r, Q)", reason: "must be integers with Q ≥ 1 for discrete demand")
        }
        var orders = 0.0, holdingShortage = 0.0
        for j in 1...Int(q) { orders += demand.survival(Double(j - 1)) }
        for y in stride(from: r + 1, through: r + q, by: 1) { holdingShortage += d.newsvendorCost(level: y, holding: h, shortage: p) }
        return (K * orders + holdingShortage) / q
    }

    static func check(holding h: Double, stockout p: Double, fixedCost K: Double, demand: DemandDistribution, leadTime: Int) throws {
        try Check.positive(h, "holding cost")
        try Check.positive(p, "stockout cost")
        try Check.nonNegative(K, "fixed cost")
        try Check.leadTime(leadTime)
        guard demand.mean > 0 else { throw PolicyError(field: "demand", reason: "mean demand per period must be greater than 0") }
        if !demand.isNormal {
            guard demand.isIntegerValued, (demand.values.first ?? 0) >= 0 else {
                throw PolicyError(field: "demand", reason: "discrete demand must take whole values ≥ 0")
            }
        }
    }

    // MARK: Discrete

    /// Periodic review (orders at most once a period) or continuous review (an order the moment
    /// the position reaches r; unit demands).
    enum Review { case periodic, continuous }

    static func discreteOptimum(
        h: Double, p: Double, K: Double, demand: DemandDistribution, protection d: DemandDistribution,
        review: Review
    ) throws -> Result {
        func g(_ y: Double) -> Double { d.newsvendorCost(level: y, holding: h, shortage: p) }
        // The minimiser of the convex G is the critical fractile.
        let yStar = try d.quantile(p / (p + h))
        var left = yStar, right = yStar
        var window = g(yStar), gLeft = g(left - 1), gRight = g(right + 1)
        // Expected orders per period × Q: Σ_{j=1}^{Q} P(D ≥ j) (periodic), λ whatever Q (continuous).
        var orderMass = review == .periodic ? demand.survival(0) : demand.mean
        var best = Result(reorderPoint: yStar - 1, orderQuantity: 1, cost: K * orderMass + window, orderFrequency: orderMass)
        var q = 1.0
        while window / q < best.cost {
            guard q < 5e7 else { throw PolicyError(field: "(r, Q)", reason: "search did not end within 5·10⁷ order quantities") }
            if gLeft <= gRight {
                window += gLeft; left -= 1; gLeft = g(left - 1)
            } else {
                window += gRight; right += 1; gRight = g(right + 1)
            }
            if review == .periodic { orderMass += demand.survival(q) }  // P(D ≥ q + 1)
            q += 1
            let c = (K * orderMass + window) / q
            if c < best.cost { best = Result(reorderPoint: left - 1, orderQuantity: q, cost: c, orderFrequency: orderMass / q) }
        }
        return best
    }

    // MARK: Normal

    static func continuousCost(
        r: Double, q: Double, h: Double, p: Double, K: Double, period: DemandDistribution, protection d: DemandDistribution,
        review: Review
    ) -> Double {
        K * (review == .periodic ? orderProbability(q: q, period: period) : period.mean / q) + h * (r - d.mean + q / 2) + (h + p)
            * (d.secondOrderLoss(r) - d.secondOrderLoss(r + q)) / q
    }

    /// A(Q) = (E D⁺ − E(D − Q)⁺)/Q: the chance that a period's demand D carries the position from
    /// a uniform point of (r, r + Q] to r or below.
    static func orderProbability(q: Double, period: DemandDistribution) -> Double {
        (period.loss(0) - period.loss(q)) / q
    }

    /// The r solving G(r) = G(r + Q): G(r + Q) − G(r) = hQ + (h + p)(E(D − r − Q)⁺ − E(D − r)⁺) rises in r.
    static func bestReorderPoint(q: Double, h: Double, p: Double, protection d: DemandDistribution) -> Double {
        var lo = d.mean - q - 40 * d.standardDeviation, hi = d.mean + 40 * d.standardDeviation
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if h * q + (h + p) * (d.loss(mid + q) - d.loss(mid)) < 0 { lo = mid } else { hi = mid }
            if hi - lo <= 1e-12 * max(1, abs(mid)) { break }
        }
        return 0.5 * (lo + hi)
    }

    static func continuousOptimum(
        h: Double, p: Double, K: Double, period: DemandDistribution, protection d: DemandDistribution,
        review: Review
    ) -> Result {
        let base = d.mean + d.standardDeviation * StandardNormal.quantile(p / (p + h))
        let baseCost = d.newsvendorCost(level: base, holding: h, shortage: p)
        // The limit Q → 0: order up to `base` in every period with demand (A → P(D > 0)); under
        // continuous review, one for one (λ orders per period, free only when K = 0).
        let everyPeriod = review == .periodic ? period.survival(0) : period.mean
        let limit = Result(
            reorderPoint: base, orderQuantity: 0, cost: review == .periodic ? K * everyPeriod + baseCost : (K == 0 ? baseCost : .infinity),
            orderFrequency: everyPeriod)
        if K == 0 { return limit }
        func cost(_ q: Double) -> Double {
            continuousCost(
                r: bestReorderPoint(q: q, h: h, p: p, protection: d), q: q, h: h, p: p, K: K, period: period, protection: d, review: review)
        }
        // A feasible cost (every period, or the deterministic lot with backorders); no Q with
        // Q·hp/(2(h + p)) — a lower bound on C by Jensen's inequality — above it can win.
        let feasible = review == .periodic ? K + baseCost : cost((2 * K * period.mean * (h + p) / (h * p)).squareRoot())
        let upper = 2 * (h + p) * feasible / (h * p)
        let lower = 1e-6 * upper
        let n = 400
        let ratio = pow(upper / lower, 1 / Double(n - 1))
        var grid = [Double](repeating: 0, count: n), costs = grid
        var bestIndex = 0
        for i in 0..<n {
            grid[i] = lower * pow(ratio, Double(i))
            costs[i] = cost(grid[i])
            if costs[i] < costs[bestIndex] { bestIndex = i }
        }
        var lo = grid[max(0, bestIndex - 1)], hi = grid[min(n - 1, bestIndex + 1)]
        let phi = (5.0.squareRoot() - 1) / 2
        var x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo)
        var f1 = cost(x1), f2 = cost(x2)
        for _ in 0..<200 {
            if hi - lo <= 1e-10 * hi { break }
            if f1 <= f2 {
                hi = x2; x2 = x1; f2 = f1; x1 = hi - phi * (hi - lo); f1 = cost(x1)
            } else {
                lo = x1; x1 = x2; f1 = f2; x2 = lo + phi * (hi - lo); f2 = cost(x2)
            }
        }
        var q = 0.5 * (lo + hi)
        var c = cost(q)
        if costs[bestIndex] < c { q = grid[bestIndex]; c = costs[bestIndex] }
        if limit.cost <= c + 1e-9 * abs(c) { return limit }  // within rounding of the best lot: prefer the simpler policy
        let r = bestReorderPoint(q: q, h: h, p: p, protection: d)
        return Result(
            reorderPoint: r, orderQuantity: q, cost: c,
            orderFrequency: review == .periodic ? orderProbability(q: q, period: period) : period.mean / q)
    }
}
