/// A service target for a reorder point.
public enum ServiceTarget: Sendable, Equatable {
    /// Cycle service level α: P(lead-time demand ≤ reorder point).
    case cycle(Double)
    /// Fill rate β: the fraction of demand met from stock, for orders of `orderQuantity`.
    case fill(Double, orderQuantity: Double)
}

/// Safety stock and reorder points from a lead-time demand distribution, for cycle-service (α)
/// and fill-rate (β) targets — what replenishment calls per (location, sku).
///
/// With lead-time demand D (the demand the reorder point must cover: over L periods under
/// continuous review, over L + R under periodic review with review period R):
/// - cycle service α: r = the α-quantile of D (the smallest support value with F ≥ α for discrete D);
/// - fill rate β with order quantity Q: under an (r, Q) policy with backorders, the inventory
///   position is uniform on (r, r + Q], so the expected shortage per replenishment cycle is
///   E(D − r)⁺ − E(D − r − Q)⁺ and β(r) = 1 − [E(D − r)⁺ − E(D − r − Q)⁺] / Q (Hadley & Whitin;
///   exact for unit demands such as Poisson, e.g. Axsäter, *Inventory Control*, §5.8); r is the
///   smallest reorder point reaching β — an integer for integer-valued D, otherwise found by
///   bisection to 10⁻⁹ of the demand scale. For a periodic order-up-to policy use
///   `orderUpTo(demand:leadTime:reviewPeriod:service:)` (exact for that policy).
/// Safety stock = r − E D.
public enum SafetyStock {
    public struct Result: Sendable, Equatable {
        public let reorderPoint: Double
        public let safetyStock: Double
        /// P(D ≤ r) at the reorder point.
        public let cycleService: Double
        /// β(r) when an order quantity is known (fill targets), nil otherwise.
        public let fillRate: Double?
        /// E(D − r)⁺.
        public let expectedShortage: Double
    }

    /// The reorder point, safety stock and the service it achieves. Targets must lie in (0, 1);
    /// the order quantity must be > 0.
    public static func plan(distribution d: DemandDistribution, service: ServiceTarget) throws -> Result {
        let r = try reorderPoint(distribution: d, service: service)
        var fill: Double?
        if case .fill(_, let q) = service { fill = try fillRate(distribution: d, reorderPoint: r, orderQuantity: q) }
        return Result(reorderPoint: r, safetyStock: r - d.mean, cycleService: d.cdf(r), fillRate: fill, expectedShortage: d.loss(r))
    }

    /// The smallest reorder point meeting the target.
    public static func reorderPoint(distribution d: DemandDistribution, service: ServiceTarget) throws -> Double {
        switch service {
        case .cycle(let alpha):
            try Check.openUnit(alpha, "service target")
            return try d.quantile(alpha)
        case .fill(let beta, let q):
            try Check.openUnit(beta, "service target")
            try Check.positive(q, "order quantity")
            func fill(_ r: Double) -> Double { 1 - (d.loss(r) - d.loss(r + q)) / q }
            let spread = d.standardDeviation
            if d.isIntegerValued, let first = d.values.first, let last = d.values.last {
                // β is non-decreasing in r; 1 at the top of the support, 0 below first − Q.
                var lo = (first - q).rounded(.down) - 1, hi = last
                while hi - lo > 1 {
                    let mid = (0.5 * (lo + hi)).rounded(.down)
                    if fill(mid) >= beta - 1e-12 { hi = mid } else { lo = mid }
                }
                return hi
            }
            let lowEnd = d.isNormal ? d.mean - q - 40 * spread : d.values.first! - q
            let highEnd = d.isNormal ? d.mean + 40 * spread : d.values.last!
            var lo = lowEnd, hi = highEnd
            let tolerance = 1e-9 * max(1, d.mean + q + spread)
            while hi - lo > tolerance {
                let mid = 0.5 * (lo + hi)
                if fill(mid) >= beta { hi = mid } else { lo = mid }
            }
            return hi
        }
    }

    /// E(D − level)⁺: expected units short when stock `level` faces demand D.
    public static func expectedShortage(distribution d: DemandDistribution, level: Double) -> Double { d.loss(level) }

    /// β = 1 − [E(D − r)⁺ − E(D − r − Q)⁺] / Q, the fill rate of an (r, Q) policy (Q > 0).
    public static func fillRate(distribution d: DemandDistribution, reorderPoint r: Double, orderQuantity q: Double) throws -> Double {
        try Check.positive(q, "order quantity")
        try Check.finite(r, "reorder point")
        return min(1, max(0, 1 - (d.loss(r) - d.loss(r + q)) / q))
    }

    /// P(D ≤ r).
    public static func cycleService(distribution d: DemandDistribution, reorderPoint r: Double) -> Double { d.cdf(r) }
}
