/// Dynamic lot sizing (Wagner & Whitin 1958): the exact least-cost order plan for known demands.
///
/// Periods 1…T with demands dₜ ≥ 0, a fixed cost K per order and holding h per unit left at the
/// end of a period; no backorders, orders arrive at the start of their period. With zero starting
/// stock an optimal plan orders only when stock is 0 and each order covers whole periods i…j,
/// so F(j) = min over i ≤ j of F(i − 1) + K·[dᵢ + … + dⱼ > 0] + h·Σₖ₌ᵢʲ (k − i)·dₖ, F(0) = 0 —
/// an O(T²) dynamic programme. Ties go to the earliest order period.
public enum WagnerWhitin {
    public struct Result: Sendable, Equatable {
        /// The quantity ordered in each period (0 when none).
        public let orderQuantities: [Double]
        /// Total ordering plus holding cost over the horizon.
        public let cost: Double
        /// Total holding cost over the horizon.
        public let holdingCost: Double
        public let orderCount: Int
    }

    /// - Parameters: demands non-empty, finite, ≥ 0; h ≥ 0; K ≥ 0.
    public static func solve(demand: [Double], holding h: Double, fixedCost K: Double) throws -> Result {
        guard !demand.isEmpty else { throw PolicyError(field: "demand", reason: "is empty") }
        for (t, d) in demand.enumerated() where !(d.isFinite && d >= 0) {
            throw PolicyError(field: "demand", reason: "period \(t + 1) must be a finite quantity ≥ 0, got \(d)")
        }
        try Check.nonNegative(h, "holding cost")
        try Check.nonNegative(K, "fixed cost")
        let n = demand.count
        var best = [Double](repeating: 0, count: n + 1)  // F(j), j = 0…n
        var start = [Int](repeating: 0, count: n + 1)  // the order period i (1-based) covering j
        for j in 1...n {
            var bestCost = Double.infinity, bestStart = j
            // Walk i from j down to 1, keeping the block's demand and holding in running sums.
            var blockDemand = 0.0, holding = 0.0
            for i in stride(from: j, through: 1, by: -1) {
                // Moving the order from i + 1 to i holds all of dᵢ₊₁…dⱼ one more period.
                holding += h * blockDemand
                blockDemand += demand[i - 1]
                let c = best[i - 1] + (blockDemand > 0 ? K : 0) + holding
                if c <= bestCost { bestCost = c; bestStart = i }  // `<=` while i falls: ties go to the earliest
            }
            best[j] = bestCost
            start[j] = bestStart
        }
        var quantities = [Double](repeating: 0, count: n)
        var j = n, holdingCost = 0.0, orders = 0
        while j > 0 {
            let i = start[j]
            var q = 0.0
            for k in i...j { q += demand[k - 1]; holdingCost += h * Double(k - i) * demand[k - 1] }
            if q > 0 { quantities[i - 1] = q; orders += 1 }
            j = i - 1
        }
        return Result(orderQuantities: quantities, cost: best[n], holdingCost: holdingCost, orderCount: orders)
    }
}
