/// Periodic-review order-up-to (R, S) levels: every R periods the position is raised to S; an
/// order arrives L periods after it is placed (before that period's demand), with backorders.
///
/// An order placed now must protect until the next order arrives, R + L periods of demand
/// D(L+R). The units short in one review cycle are the backorders that accrue between the
/// arrival of this order and the next: E(D(L+R) − S)⁺ − E(D(L) − S)⁺ (D(0) = 0), so the fill rate is
/// β(S) = 1 − [E(D(L+R) − S)⁺ − E(D(L) − S)⁺] / E D(R) (exact with backorders; e.g. Axsäter,
/// *Inventory Control*, §6.3; Silver, Pyke & Thomas, ch. 6). The cycle service level is
/// P(D(L+R) ≤ S). Safety stock = S − E D(L+R).
extension SafetyStock {
    public struct OrderUpToResult: Sendable, Equatable {
        public let orderUpToLevel: Double
        public let safetyStock: Double
        /// P(D(L+R) ≤ S).
        public let cycleService: Double
        /// β(S).
        public let fillRate: Double
        /// Expected units short per review cycle.
        public let expectedShortagePerCycle: Double
    }

    /// The smallest order-up-to level meeting the target, for per-period `demand`, lead time
    /// L ≥ 0 and review period R ≥ 1 (both in periods). The order quantity in a `.fill` target is
    /// ignored (the cycle's demand E D(R) takes its place); pass e.g. `.fill(0.98, orderQuantity: 1)`.
    public static func orderUpTo(demand: DemandDistribution, leadTime: Int, reviewPeriod: Int, service: ServiceTarget) throws -> OrderUpToResult {
        try Check.leadTime(leadTime)
        guard reviewPeriod >= 1 else { throw PolicyError(field: "review period", reason: "must be at least 1 period, got \(reviewPeriod)") }
        guard demand.mean > 0 else { throw PolicyError(field: "demand", reason: "mean demand per period must be greater than 0") }
        let protection = try demand.overPeriods(leadTime + reviewPeriod)
        let beforeArrival: DemandDistribution? = leadTime == 0 ? nil : try demand.overPeriods(leadTime)
        let cycleDemand = demand.mean * Double(reviewPeriod)
        func shortage(_ s: Double) -> Double { protection.loss(s) - (beforeArrival?.loss(s) ?? max(0, -s)) }
        func fill(_ s: Double) -> Double { min(1, max(0, 1 - shortage(s) / cycleDemand)) }

        let level: Double
        switch service {
        case .cycle(let alpha):
            try Check.openUnit(alpha, "service target")
            level = try protection.quantile(alpha)
        case .fill(let beta, _):
            try Check.openUnit(beta, "service target")
            // β rises with S: 0 far below the support, 1 at its top.
            let spread = protection.standardDeviation
            if protection.isIntegerValued, let last = protection.values.last {
                var lo = -1.0, hi = last
                while fill(lo) >= beta { lo = 2 * lo - 1 }  // demand ≥ 0, so this ends quickly
                while hi - lo > 1 {
                    let mid = (0.5 * (lo + hi)).rounded(.down)
                    if fill(mid) >= beta - 1e-12 { hi = mid } else { lo = mid }
                }
                level = hi
            } else {
                var lo = protection.mean - 40 * spread - cycleDemand
                var hi = protection.isNormal ? protection.mean + 40 * spread : protection.values.last!
                let tolerance = 1e-9 * max(1, protection.mean + spread)
                while hi - lo > tolerance {
                    let mid = 0.5 * (lo + hi)
                    if fill(mid) >= beta { hi = mid } else { lo = mid }
                }
                level = hi
            }
        }
        return OrderUpToResult(
            orderUpToLevel: level, safetyStock: level - protection.mean, cycleService: protection.cdf(level),
            fillRate: fill(level), expectedShortagePerCycle: shortage(level))
    }
}
