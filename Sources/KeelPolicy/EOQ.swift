/// The economic order quantity (Harris 1913), optionally with planned backorders.
///
/// Deterministic demand at rate λ per period, fixed cost K per order, holding h per unit per
/// period; with a backorder cost p per unit backordered per period, shortages are planned:
/// - without backorders: Q* = √(2Kλ/h), cost per period √(2Kλh);
/// - with backorders: Q* = √(2Kλ/h · (h + p)/p), the largest backlog Q*·h/(h + p), cost per
///   period √(2Kλh · p/(h + p)).
/// The cost is the ordering plus holding (plus backorder) cost per period; the purchase cost λc
/// does not depend on Q and is left out.
public enum EOQ {
    public struct Result: Sendable, Equatable {
        public let orderQuantity: Double
        public let cost: Double
        /// The largest backlog just before an order arrives (0 without backorders).
        public let maximumBackorder: Double
        /// Periods between orders, Q*/λ.
        public let cycleLength: Double
    }

    /// K, h, λ > 0; p > 0 when given.
    public static func solve(fixedCost K: Double, holding h: Double, demandRate λ: Double, backorderCost p: Double? = nil) throws -> Result {
        try Check.positive(K, "fixed cost")
        try Check.positive(h, "holding cost")
        try Check.positive(λ, "demand rate")
        var factor = 1.0
        if let p {
            try Check.positive(p, "backorder cost")
            factor = (h + p) / p
        }
        let q = (2 * K * λ / h * factor).squareRoot()
        let cost = (2 * K * λ * h / factor).squareRoot()
        return Result(orderQuantity: q, cost: cost, maximumBackorder: p == nil ? 0 : q * h / (h + p!), cycleLength: q / λ)
    }

    /// The cost per period of ordering Q at a time (no backorders): Kλ/Q + hQ/2.
    public static func cost(orderQuantity q: Double, fixedCost K: Double, holding h: Double, demandRate λ: Double) -> Double {
        K * λ / q + h * q / 2
    }
}
