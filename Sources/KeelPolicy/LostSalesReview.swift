/// A periodic-review (R, s, S) policy under **lost sales**, evaluated exactly for i.i.d. integer
/// daily demand and a deterministic lead time L with 1 ≤ L ≤ R.
///
/// The day runs: arrivals, then demand (what stock cannot serve is lost), then — on a review day —
/// the review: when on hand is at or below s, order S − on hand, which arrives at the start of
/// the day L days later. With L ≤ R every order has arrived by the next review, so the on-hand
/// stock at review instants is a Markov chain on 0…S. Its transition matrix is built by carrying
/// the on-hand distribution through the R days of a cycle; the stationary distribution π solves
/// π = πT, Σπ = 1, and
///     fill rate = E_π[units served per cycle] / (R × E[D]),
///     average on hand = E_π[Σ end-of-day on hand over the cycle] / R.
/// Backorder formulas (Hadley–Whitin) charge every cycle the full L + R days of exposure and
/// divide by the order quantity; for slow movers under lost sales they understate the fill rate
/// badly (a store that sells one unit every twenty days, restocked one at a time two days after it
/// sells out, serves about 95 % of its demand where the backorder formula says 86 %).
public enum LostSalesReview {
    public struct Evaluation: Sendable, Equatable {
        public var fillRate: Double
        public var averageOnHand: Double
        /// Probability that a review places an order.
        public var orderProbability: Double
    }

    /// The largest order-up-to level evaluated (the chain has S + 1 states).
    public static let maximumLevel = 400

    /// Evaluates (s, S) for daily demand `pmf` (P(D = k) for k = 0, 1, …).
    public static func evaluate(dailyPMF pmf: [Double], review: Int, lead: Int, reorderPoint s: Int, orderUpTo S: Int) throws -> Evaluation {
        try validate(pmf: pmf, review: review, lead: lead, reorderPoint: s, orderUpTo: S)
        let n = S + 1
        let mean = pmf.enumerated().reduce(0.0) { $0 + Double($1.offset) * $1.element }
        guard mean > 0 else { return Evaluation(fillRate: 1, averageOnHand: Double(S), orderProbability: 0) }
        // served[y] = E[min(y, D)] = Σ_{k<y} P(D > k); atLeast[y] = P(D ≥ y).
        var atLeast = [Double](repeating: 0, count: n + 1)
        var tail = 1.0
        for y in 0...n {
            atLeast[y] = max(0, tail)
            tail -= y < pmf.count ? pmf[y] : 0
        }
        var served = [Double](repeating: 0, count: n + 1)
        for y in 1...n { served[y] = served[y - 1] + atLeast[y] }

        var transition = [Double](repeating: 0, count: n * n)
        var cycleServed = [Double](repeating: 0, count: n), cycleOnHand = [Double](repeating: 0, count: n)
        var p = [Double](repeating: 0, count: n), next = [Double](repeating: 0, count: n)
        for x in 0..<n {
            for i in 0..<n { p[i] = 0 }
            p[x] = 1
            let q = x <= s ? S - x : 0
            var sales = 0.0, onHand = 0.0
            for day in 1...review {
                if day == lead, q > 0 {
                    for y in stride(from: n - 1, through: q, by: -1) { p[y] = p[y - q] }
                    for y in 0..<q { p[y] = 0 }
                }
                for i in 0..<n { next[i] = 0 }
                for y in 0..<n where p[y] > 0 {
                    let py = p[y]
                    sales += py * served[y]
                    next[0] += py * atLeast[y]
                    for k in 0..<min(y, pmf.count) { next[y - k] += py * pmf[k] }
                }
                swap(&p, &next)
                for y in 1..<n { onHand += Double(y) * p[y] }
            }
            for y in 0..<n { transition[x * n + y] = p[y] }
            cycleServed[x] = sales
            cycleOnHand[x] = onHand
        }
        let pi = try stationary(transition, n)
        var fill = 0.0, onHand = 0.0, orders = 0.0
        for x in 0..<n {
            fill += pi[x] * cycleServed[x]
            onHand += pi[x] * cycleOnHand[x]
            if x <= s && S > x { orders += pi[x] }
        }
        return Evaluation(fillRate: min(1, max(0, fill / (Double(review) * mean))), averageOnHand: onHand / Double(review),
                          orderProbability: orders)
    }

    /// The smallest reorder point s ≥ 0 whose fill rate with order-up-to s + Q meets `target`
    /// (nil when no s with s + Q ≤ `levelLimit` does), with its evaluation.
    public static func smallestReorderPoint(dailyPMF pmf: [Double], review: Int, lead: Int, orderQuantity q: Int, target: Double,
                                            levelLimit: Int = maximumLevel) throws
        -> (reorderPoint: Int, evaluation: Evaluation)?
    {
        guard q >= 1 else { throw PolicyError(field: "order quantity", reason: "must be at least 1, got \(q)") }
        guard target > 0, target < 1 else { throw PolicyError(field: "fill-rate target", reason: "must lie strictly between 0 and 1, got \(target)") }
        guard q <= min(levelLimit, maximumLevel) else { return nil }
        let zero = try evaluate(dailyPMF: pmf, review: review, lead: lead, reorderPoint: 0, orderUpTo: q)
        if zero.fillRate >= target { return (0, zero) }
        // Fill rate rises with s: grow an upper bound, then bisect.
        let top = min(levelLimit, maximumLevel) - q
        guard top >= 1 else { return nil }
        var lo = 0, hi = 1
        var found: Evaluation?
        while true {
            hi = min(hi, top)
            let e = try evaluate(dailyPMF: pmf, review: review, lead: lead, reorderPoint: hi, orderUpTo: hi + q)
            if e.fillRate >= target { found = e; break }
            guard hi < top else { return nil }
            lo = hi
            hi *= 2
        }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            let e = try evaluate(dailyPMF: pmf, review: review, lead: lead, reorderPoint: mid, orderUpTo: mid + q)
            if e.fillRate >= target { hi = mid; found = e } else { lo = mid }
        }
        return (hi, found!)
    }

    static func validate(pmf: [Double], review: Int, lead: Int, reorderPoint s: Int, orderUpTo S: Int) throws {
        guard !pmf.isEmpty, pmf.allSatisfy({ $0.isFinite && $0 >= 0 }), abs(pmf.reduce(0, +) - 1) <= 1e-6 else {
            throw PolicyError(field: "daily demand pmf", reason: "must be finite probabilities ≥ 0 summing to 1")
        }
        guard review >= 1 else { throw PolicyError(field: "review period", reason: "must be at least 1 day, got \(review)") }
        guard lead >= 1, lead <= review else {
            throw PolicyError(field: "lead time", reason: "the exact lost-sales chain needs 1 ≤ lead time ≤ review period, got \(lead) and \(review)")
        }
        guard s >= 0, S > s else { throw PolicyError(field: "policy", reason: "needs 0 ≤ s < S, got s = \(s), S = \(S)") }
        guard S <= maximumLevel else { throw PolicyError(field: "order-up-to level", reason: "\(S) passes the chain's limit \(maximumLevel)") }
    }

    /// π with π = πT and Σπ = 1, by Gaussian elimination with partial pivoting on (Tᵀ − I) with
    /// the last equation replaced by the normalisation.
    static func stationary(_ t: [Double], _ n: Int) throws -> [Double] {
        var a = [Double](repeating: 0, count: n * n), b = [Double](repeating: 0, count: n)
        for i in 0..<n {
            for j in 0..<n { a[i * n + j] = t[j * n + i] - (i == j ? 1 : 0) }
        }
        for j in 0..<n { a[(n - 1) * n + j] = 1 }
        b[n - 1] = 1
        for col in 0..<n {
            var pivot = col
            for r in (col + 1)..<max(col + 1, n) where abs(a[r * n + col]) > abs(a[pivot * n + col]) { pivot = r }
            guard abs(a[pivot * n + col]) > 1e-300 else { throw PolicyError(field: "lost-sales chain", reason: "singular stationary system") }
            if pivot != col {
                for j in 0..<n { a.swapAt(col * n + j, pivot * n + j) }
                b.swapAt(col, pivot)
            }
            let d = a[col * n + col]
            for r in (col + 1)..<max(col + 1, n) {
                let f = a[r * n + col] / d
                guard f != 0 else { continue }
                for j in col..<n { a[r * n + j] -= f * a[col * n + j] }
                b[r] -= f * b[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var v = b[i]
            for j in (i + 1)..<max(i + 1, n) { v -= a[i * n + j] * x[j] }
            x[i] = v / a[i * n + i]
        }
        let total = x.reduce(0) { $0 + max(0, $1) }
        return x.map { max(0, $0) / total }
    }
}
