import KeelPolicy

/// A periodic-review (R, s, S) policy for one (location, item): every R days, when the inventory
/// position (on hand + inbound − reserved) is at or below the reorder point s, order up to S,
/// rounded up to the case pack and at least the minimum order quantity.
///
/// s is the smallest level whose fill rate over the protection interval P = L + R meets the target,
/// with the Hadley–Whitin expression for an order of size Q = S − s:
///     β(s, Q) = 1 − [G_P(s) − G_P(s + Q)] / Q,  G_P(x) = E[(D_P − x)⁺],
/// where D_P is demand over P with a random lead time (mean L, sd σ_L):
///     E[D_P] = Σ_{t<L+R} μ_t,  Var[D_P] = Σ_{t<L+R} σ²_t + μ̄² σ²_L.
/// Q is the economic order quantity √(2Kλ/h) rounded up to the case pack and at least the MOQ.
public struct ReorderPolicy: Sendable, Equatable {
    public var reorderPoint: Double
    public var orderUpTo: Double
    public var safetyStock: Double
    public var orderQuantity: Double
    public var protectionMean: Double
    public var protectionVariance: Double
    public var fillRate: Double
    /// How the fill rate was computed: the exact lost-sales chain or the Hadley–Whitin expression.
    public var fillRateModel: FillRateModel = .hadleyWhitin

    public enum FillRateModel: String, Sendable, Equatable {
        case lostSalesChain = "exact lost-sales chain"
        case hadleyWhitin = "Hadley–Whitin"
    }

    /// Largest order-up-to level for which the planner evaluates the exact lost-sales chain (its
    /// cost grows with the cube of the level); faster movers use Hadley–Whitin, which is accurate
    /// when stock-outs are rare relative to the cycle.
    public static let lostSalesChainLimit = 60

    public init(reorderPoint: Double, orderUpTo: Double, safetyStock: Double, orderQuantity: Double, protectionMean: Double,
                protectionVariance: Double, fillRate: Double) {
        self.reorderPoint = reorderPoint; self.orderUpTo = orderUpTo; self.safetyStock = safetyStock; self.orderQuantity = orderQuantity
        self.protectionMean = protectionMean; self.protectionVariance = protectionVariance; self.fillRate = fillRate
    }

    /// Inputs: demand over the protection interval, the average daily demand λ, the order cost K,
    /// the holding cost h per unit per day, the case pack, the MOQ and the fill-rate target.
    ///
    /// With `lostSales` (whole units, a deterministic lead time of at most the review period, as a
    /// store drawing on its DC has), s is instead the smallest level meeting the target in the exact
    /// lost-sales chain (`LostSalesReview`) for daily demand with the protection interval's average
    /// mean and variance, when its order-up-to level stays within `lostSalesChainLimit`.
    public static func make(protection: (mean: Double, variance: Double), dailyMean: Double, orderCost: Double,
                            holdingPerDay: Double, casePack: Double, minOrderQty: Double, target: Double,
                            lostSales: (lead: Int, review: Int)? = nil) -> ReorderPolicy {
        let distribution = DemandDistribution.planning(mean: protection.mean, variance: protection.variance)
        let eoq = holdingPerDay > 0 && dailyMean > 0 ? (2 * orderCost * dailyMean / holdingPerDay).squareRoot() : 0
        let q = roundUp(max(eoq, minOrderQty, 1), to: casePack)
        if let lostSales, let exact = lostSalesPolicy(protection: protection, orderQuantity: q, target: target, lead: lostSales.lead,
                                                      review: lostSales.review) {
            return exact
        }
        // Smallest integer s with β(s, q) ≥ target: β rises with s, so bisect.
        func beta(_ s: Double) -> Double {
            guard protection.mean > 0 else { return 1 }
            return 1 - (distribution.loss(s) - distribution.loss(s + q)) / q
        }
        var lo = -q, hi = max(1, (protection.mean + 12 * protection.variance.squareRoot()).rounded(.up))
        while beta(hi) < target { hi *= 2 }
        while hi - lo > 1 {
            let mid = ((lo + hi) / 2).rounded(.down)
            if beta(mid) >= target { hi = mid } else { lo = mid }
        }
        let s = max(0, hi)
        return ReorderPolicy(reorderPoint: s, orderUpTo: s + q, safetyStock: s - protection.mean, orderQuantity: q,
                             protectionMean: protection.mean, protectionVariance: protection.variance, fillRate: beta(s))
    }

    /// The exact lost-sales policy, or nil when the chain does not apply (see `chainDailyPMF`) or
    /// no s within `lostSalesChainLimit` meets the target.
    static func lostSalesPolicy(protection: (mean: Double, variance: Double), orderQuantity q: Double, target: Double,
                                lead: Int, review: Int) -> ReorderPolicy? {
        guard let pmf = chainDailyPMF(protection: protection, orderQuantity: q, lead: lead, review: review) else { return nil }
        let found: (reorderPoint: Int, evaluation: LostSalesReview.Evaluation)?
        do {
            found = try LostSalesReview.smallestReorderPoint(dailyPMF: pmf, review: review, lead: max(1, lead), orderQuantity: Int(q),
                                                              target: target, levelLimit: lostSalesChainLimit)
        } catch { preconditionFailure("the chain's inputs were checked by chainDailyPMF: \(error)") }
        guard let found else { return nil }
        return chainPolicy(reorderPoint: Double(found.reorderPoint), orderQuantity: q, protection: protection, fillRate: found.evaluation.fillRate)
    }

    /// The (0, Q) policy at review period `review` when the exact lost-sales chain says it meets
    /// `target`; nil otherwise (or when the chain does not apply).
    public static func zeroReorderPoint(protection: (mean: Double, variance: Double), orderQuantity q: Double, target: Double,
                                        lead: Int, review: Int) -> ReorderPolicy? {
        guard let pmf = chainDailyPMF(protection: protection, orderQuantity: q, lead: lead, review: review) else { return nil }
        let e: LostSalesReview.Evaluation
        do {
            e = try LostSalesReview.evaluate(dailyPMF: pmf, review: review, lead: max(1, lead), reorderPoint: 0, orderUpTo: Int(q))
        } catch { preconditionFailure("the chain's inputs were checked by chainDailyPMF: \(error)") }
        guard e.fillRate >= target else { return nil }
        return chainPolicy(reorderPoint: 0, orderQuantity: q, protection: protection, fillRate: e.fillRate)
    }

    /// Daily demand for the chain — the protection window's mean and variance per day as a
    /// negative binomial, P(D = k) from k = 0 — or nil when the chain does not apply: no demand, a
    /// fractional order quantity or one past `lostSalesChainLimit`, a lead time (at least one day)
    /// longer than the review period.
    static func chainDailyPMF(protection: (mean: Double, variance: Double), orderQuantity q: Double, lead: Int, review: Int) -> [Double]? {
        let days = lead + review
        guard protection.mean > 0, days > 0, q == q.rounded(), q >= 1, Int(q) < lostSalesChainLimit, max(1, lead) <= review else { return nil }
        let daily = DemandDistribution.planning(mean: protection.mean / Double(days), variance: protection.variance / Double(days))
        guard let dense = daily.densePMF() else { return nil }
        return [Double](repeating: 0, count: dense.offset) + dense.pmf
    }

    static func chainPolicy(reorderPoint s: Double, orderQuantity q: Double, protection: (mean: Double, variance: Double),
                            fillRate: Double) -> ReorderPolicy {
        var policy = ReorderPolicy(reorderPoint: s, orderUpTo: s + q, safetyStock: s - protection.mean, orderQuantity: q,
                                   protectionMean: protection.mean, protectionVariance: protection.variance, fillRate: fillRate)
        policy.fillRateModel = .lostSalesChain
        return policy
    }

    /// The order for an inventory position, or 0 when the position is above the reorder point.
    public func order(position: Double, casePack: Double, minOrderQty: Double) -> Double {
        guard position <= reorderPoint else { return 0 }
        return roundUp(max(orderUpTo - position, minOrderQty), to: casePack)
    }

    /// The share of the protection interval's demand served from stock when the position after
    /// ordering is `y`: 1 − E[(D_P − y)⁺] / E[D_P].
    public func projectedFillRate(afterOrder y: Double) -> Double {
        guard protectionMean > 0 else { return 1 }
        let d = DemandDistribution.planning(mean: protectionMean, variance: protectionVariance)
        return max(0, min(1, 1 - d.loss(y) / protectionMean))
    }
}

/// `x` rounded up to a whole number of packs of `pack` units.
public func roundUp(_ x: Double, to pack: Double) -> Double {
    guard pack > 0 else { return x.rounded(.up) }
    return (x / pack - 1e-9).rounded(.up) * pack
}

extension DemandDistribution {
    /// Demand over a window from its mean and variance: a negative binomial (Poisson when the
    /// variance does not exceed the mean) — integer units, right-skewed as retail demand is — and a
    /// normal when the mean passes 2,000 units or the dispersion is so extreme that the negative
    /// binomial's table would pass KeelPolicy's size limit (variance/mean above about 80,000); the
    /// normal then carries the same mean and variance.
    public static func planning(mean: Double, variance: Double) -> DemandDistribution {
        let m = max(0, mean.isFinite ? mean : 0)
        let v = max(m, variance.isFinite ? variance : 0)
        if m <= 2_000, let nb = try? DemandDistribution.negativeBinomial(mean: m, variance: v) { return nb }
        do { return try .normal(mean: m, standardDeviation: v.squareRoot()) } catch {
            preconditionFailure("mean \(m) and variance \(v) were sanitised above: \(error)")
        }
    }
}
