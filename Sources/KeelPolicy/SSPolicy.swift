/// The optimal (s, S) policy for discrete demand under periodic review with backorders, by the
/// algorithm of Zheng & Federgruen (1991), "Finding optimal (s, S) policies is about as simple as
/// evaluating a single policy", Operations Research 39(4).
///
/// **Cost model** (expected cost per period): at each review, if the inventory position is s or
/// below, order up to S (fixed cost K); an order arrives after L periods; a period with position
/// y after ordering costs G(y) = h·E[(y − D(L+1))⁺] + p·E[(D(L+1) − y)⁺], D(L+1) the demand of
/// L + 1 periods. By renewal theory, with m(0) = 1/(1 − p₀), m(j) = Σₗ₌₁ʲ pₗ·m(j − l)/(1 − p₀) and
/// M(j) = Σ_{i<j} m(i) (pₖ = P(one period's demand = k)),
/// c(s, S) = [K + Σ_{j=0}^{S−s−1} m(j)·G(S − j)] / M(S − s).
/// Zheng–Federgruen search: start at S = y* = argmin G, lower s until c(s, S) ≤ G(s); then raise S
/// while G(S) ≤ the best cost, and whenever c(s, S) improves, raise s while c(s, S) ≤ G(s + 1).
/// Exact for integer-valued demand ≥ 0 with mean > 0.
public enum SSPolicy {
    public struct Result: Sendable, Equatable {
        public let s: Int
        public let S: Int
        public let cost: Double
    }

    /// - Parameters: h, p > 0; K ≥ 0; `demand` per period, integer valued ≥ 0 with mean > 0;
    ///   `leadTime` L ≥ 0.
    public static func optimize(
        holding h: Double, stockout p: Double, fixedCost K: Double,
        demand: DemandDistribution, leadTime: Int = 0
    ) throws -> Result {
        var e = try Evaluator(holding: h, stockout: p, fixedCost: K, demand: demand, leadTime: leadTime)
        let yStar = try e.argminG()
        var steps = 0
        func guardSteps() throws {
            steps += 1
            if steps > 10_000_000 { throw PolicyError(field: "(s, S)", reason: "search did not end within 10⁷ steps") }
        }
        var s = yStar, bestS = yStar
        repeat {
            s -= 1
            try guardSteps()
        } while e.cost(s: s, S: bestS) > e.g(s)
        var best = e.cost(s: s, S: bestS)
        var S = bestS + 1
        while e.g(S) <= best {
            if e.cost(s: s, S: S) < best {
                bestS = S
                while e.cost(s: s, S: bestS) <= e.g(s + 1) { s += 1; try guardSteps() }
                best = e.cost(s: s, S: bestS)
            }
            S += 1
            try guardSteps()
        }
        return Result(s: s, S: bestS, cost: best)
    }

    /// c(s, S), the expected cost per period of the (s, S) policy (s < S).
    public static func cost(
        s: Int, S: Int, holding h: Double, stockout p: Double, fixedCost K: Double,
        demand: DemandDistribution, leadTime: Int = 0
    ) throws -> Double {
        guard s < S else { throw PolicyError(field: "(s, S)", reason: "s must be below S, got s = \(s), S = \(S)") }
        var e = try Evaluator(holding: h, stockout: p, fixedCost: K, demand: demand, leadTime: leadTime)
        return e.cost(s: s, S: S)
    }

    /// G and the renewal quantities m, M, extended on demand.
    struct Evaluator {
        let h: Double, p: Double, K: Double
        let pmf: [Double]  // one period's demand on 0, 1, 2, …
        let protection: DemandDistribution
        var m: [Double] = []
        var cumulativeM: [Double] = [0]  // M(j) = Σ_{i<j} m(i)

        init(holding h: Double, stockout p: Double, fixedCost K: Double, demand: DemandDistribution, leadTime: Int) throws {
            try Check.positive(h, "holding cost")
            try Check.positive(p, "stockout cost")
            try Check.nonNegative(K, "fixed cost")
            try Check.leadTime(leadTime)
            guard demand.mean > 0 else { throw PolicyError(field: "demand", reason: "mean demand per period must be greater than 0") }
            guard let dense = demand.densePMF(), dense.offset >= 0 else {
                throw PolicyError(field: "demand", reason: "(s, S) needs discrete demand with whole values ≥ 0 (e.g. Poisson)")
            }
            self.h = h; self.p = p; self.K = K
            pmf = [Double](repeating: 0, count: dense.offset) + dense.pmf
            protection = try demand.overPeriods(leadTime + 1)
        }

        func g(_ y: Int) -> Double { protection.newsvendorCost(level: Double(y), holding: h, shortage: p) }

        func argminG() throws -> Int { Int(try protection.quantile(p / (p + h))) }

        mutating func extend(to j: Int) {
            let scale = 1 / (1 - pmf[0])
            while m.count <= j {
                let n = m.count
                var total = n == 0 ? 1.0 : 0.0
                if n > 0 {
                    let top = min(n, pmf.count - 1)
                    if top >= 1 {
                        for l in 1...top { total += pmf[l] * m[n - l] }
                    }
                }
                m.append(total * scale)
                cumulativeM.append(cumulativeM[n] + m[n])
            }
        }

        mutating func cost(s: Int, S: Int) -> Double {
            let width = S - s
            extend(to: width)
            var total = K
            for j in 0..<width { total += m[j] * g(S - j) }
            return total / cumulativeM[width]
        }
    }
}
