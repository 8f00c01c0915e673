import Foundation
import KeelCore
import KeelPolicy
import KeelTestSupport
import Testing

/// (r, Q) and (s, S) against brute force: exhaustive enumeration with costs computed
/// independently here (direct pmf sums; the stationary distribution of the inventory position's
/// Markov chain), and a seeded simulation of the policy itself.
@Suite struct ReorderPolicyTests {
    /// G(y) for lead-time demand Poisson(μ(L+1)), by direct sums.
    static func gTable(mu: Double, leadTime: Int, h: Double, p: Double, range: ClosedRange<Int>) -> [Int: Double] {
        let pmf = Reference.poissonPMF(mu * Double(leadTime + 1), upTo: Int(mu * Double(leadTime + 1) * 4 + 60))
        var out: [Int: Double] = [:]
        for y in range { out[y] = Reference.periodCost(y, pmf: pmf, h: h, p: p) }
        return out
    }

    /// Exact (r, nQ) cost by enumeration over a grid that contains the optimum in its interior;
    /// the optimiser's cost must equal the grid minimum (1e-9) and its (r, Q) must attain it.
    @Test(arguments: [(5.0, 1, 1.0, 9.0, 20.0), (10.0, 2, 1.0, 9.0, 64.0), (2.5, 0, 2.0, 20.0, 5.0), (8.0, 1, 1.0, 4.0, 0.0)])
    func rqPoissonMatchesEnumeration(mu: Double, leadTime: Int, h: Double, p: Double, k: Double) throws {
        let pmf1 = Reference.poissonPMF(mu, upTo: 250)
        let g = Self.gTable(mu: mu, leadTime: leadTime, h: h, p: p, range: -40...200)
        // orders[q] = Σ_{j=1}^{q} P(D ≥ j); prefixG[i] = Σ_{y=-40}^{-40+i-1} G(y).
        var orders = [0.0], tail = 1.0
        for j in 1...120 { tail -= pmf1[j - 1]; orders.append(orders[j - 1] + tail) }
        var prefixG = [0.0]
        for y in -40...200 { prefixG.append(prefixG.last! + g[y]!) }
        func cost(_ r: Int, _ q: Int) -> Double {
            let window = prefixG[r + q + 41] - prefixG[r + 41]  // G(r+1) + … + G(r+q)
            return (k * orders[q] + window) / Double(q)
        }
        var best = Double.infinity, bestR = 0, bestQ = 0
        for r in -30...80 {
            for q in 1...100 where r + q <= 200 {
                let c = cost(r, q)
                if c < best - 1e-12 { best = c; bestR = r; bestQ = q }
            }
        }
        #expect(bestR > -30 && bestQ < 100, "grid edge reached: \(bestR), \(bestQ)")
        let opt = try RQPolicy.optimize(holding: h, stockout: p, fixedCost: k, demand: .poisson(mean: mu), leadTime: leadTime)
        #expect(abs(opt.cost - best) <= 1e-9 * best, "optimiser \(opt) vs grid (\(bestR), \(bestQ)) \(best)")
        #expect(abs(cost(Int(opt.reorderPoint), Int(opt.orderQuantity)) - best) <= 1e-9 * best)
        let evaluated = try RQPolicy.cost(
            reorderPoint: opt.reorderPoint, orderQuantity: opt.orderQuantity, holding: h, stockout: p,
            fixedCost: k, demand: .poisson(mean: mu), leadTime: leadTime)
        #expect(abs(evaluated - opt.cost) <= 1e-9 * best)
    }

    /// The (r, nQ) cost model against a seeded simulation of the policy: review, order multiples
    /// of Q, arrivals after L periods, Poisson demand, backorders. 400,000 periods after a
    /// 1,000-period warm-up; tolerance 2 % (the simulation's standard error is about 0.3 %).
    @Test func rqCostModelMatchesSimulation() throws {
        let mu = 6.0, lead = 2, h = 1.0, p = 9.0, k = 30.0
        let opt = try RQPolicy.optimize(holding: h, stockout: p, fixedCost: k, demand: .poisson(mean: mu), leadTime: lead)
        let r = Int(opt.reorderPoint), q = Int(opt.orderQuantity)
        var rng = SeededRandom(seed: 2024)
        var position = r + q, net = r + q
        var pipeline = [Int](repeating: 0, count: lead + 1)
        var total = 0.0, orders = 0
        let warmUp = 1_000, periods = 400_000
        for t in 0..<(warmUp + periods) {
            var ordered = false
            if position <= r {
                let n = (r + 1 - position + q - 1) / q
                position += n * q
                pipeline[lead] += n * q
                ordered = true
            }
            net += pipeline[0]
            pipeline.removeFirst(); pipeline.append(0)
            let d = rng.poisson(mu)
            net -= d; position -= d
            if t >= warmUp {
                total += (net >= 0 ? h * Double(net) : p * Double(-net)) + (ordered ? k : 0)
                if ordered { orders += 1 }
            }
        }
        let simulated = total / Double(periods)
        #expect(abs(simulated - opt.cost) <= 0.02 * opt.cost, "simulated \(simulated) vs model \(opt.cost)")
        #expect(abs(Double(orders) / Double(periods) - opt.orderFrequency) <= 0.02 * opt.orderFrequency)
    }

    /// Normal demand: the continuous cost against numerical integration of G, and the optimum no
    /// worse than the best point of a fine (r, Q) grid (and within 0.1 % of it).
    @Test func rqNormalAgainstGridAndIntegration() throws {
        let demand = try DemandDistribution.normal(mean: 10, standardDeviation: 3)
        let h = 1.0, p = 9.0, k = 64.0, lead = 2
        let m = 30.0, s = 3 * 3.0.squareRoot()
        // C(r, Q) = K·(E D⁺ − E(D − Q)⁺)/Q + (1/Q)∫_r^{r+Q} [h(y − m) + (h + p)E(D(L+1) − y)⁺] dy,
        // D one period's demand N(10, 3²), by Simpson (200 intervals).
        func integrated(_ r: Double, _ q: Double) -> Double {
            let n = 200, step = q / Double(n)
            var total = 0.0
            for i in 0...n {
                let y = r + Double(i) * step
                let w: Double = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2)
                total += w * (h * (y - m) + (h + p) * Reference.normalLoss(y, mean: m, sd: s, intervals: 2_000))
            }
            let orderProbability = (Reference.normalLoss(0, mean: 10, sd: 3) - Reference.normalLoss(q, mean: 10, sd: 3)) / q
            return k * orderProbability + total * step / 3 / q
        }
        for (r, q) in [(25.0, 30.0), (31.5, 45.0), (20.0, 10.0)] {
            let c = try RQPolicy.cost(reorderPoint: r, orderQuantity: q, holding: h, stockout: p, fixedCost: k, demand: demand, leadTime: lead)
            #expect(abs(c - integrated(r, q)) <= 1e-6 * c)
        }
        let opt = try RQPolicy.optimize(holding: h, stockout: p, fixedCost: k, demand: demand, leadTime: lead)
        var gridBest = Double.infinity
        for r in stride(from: 15.0, through: 40.0, by: 0.25) {
            for q in stride(from: 20.0, through: 70.0, by: 0.25) {
                gridBest = min(
                    gridBest,
                    try RQPolicy.cost(reorderPoint: r, orderQuantity: q, holding: h, stockout: p, fixedCost: k, demand: demand, leadTime: lead))
            }
        }
        #expect(opt.cost <= gridBest + 1e-9)
        #expect(opt.cost >= gridBest * 0.999)
    }

    /// The normal (r, nQ) model against a seeded simulation of the policy with normal demand
    /// (continuous quantities), as for Poisson: 400,000 periods, tolerance 2 %. Two cases: Q large
    /// against a period's demand (orders in a quarter of the periods) and a period's demand so
    /// large that ordering every period is best (Q = 0, order up to r).
    @Test(arguments: [(10.0, 3.0, 64.0), (100.0, 10.0, 64.0)])
    func rqNormalCostModelMatchesSimulation(mu: Double, sd: Double, k: Double) throws {
        let lead = 2, h = 1.0, p = 9.0
        let opt = try RQPolicy.optimize(holding: h, stockout: p, fixedCost: k, demand: .normal(mean: mu, standardDeviation: sd), leadTime: lead)
        let r = opt.reorderPoint, q = opt.orderQuantity
        var rng = SeededRandom(seed: 77)
        var position = r + q, net = r + q
        var pipeline = [Double](repeating: 0, count: lead + 1)
        var total = 0.0, orders = 0
        let warmUp = 1_000, periods = 400_000
        for t in 0..<(warmUp + periods) {
            var ordered = false
            if q == 0, position < r {  // Q = 0: order up to r every period
                pipeline[lead] += r - position
                position = r
                ordered = true
            } else if q > 0, position <= r {
                let n = ((r - position) / q).rounded(.down) + 1
                position += n * q
                pipeline[lead] += n * q
                ordered = true
            }
            net += pipeline[0]
            pipeline.removeFirst(); pipeline.append(0)
            let d = mu + sd * rng.normal()
            net -= d; position -= d
            if t >= warmUp {
                total += (net >= 0 ? h * net : -p * net) + (ordered ? k : 0)
                if ordered { orders += 1 }
            }
        }
        let simulated = total / Double(periods)
        #expect(abs(simulated - opt.cost) <= 0.02 * opt.cost, "simulated \(simulated) vs model \(opt.cost) at \(opt)")
        #expect(abs(Double(orders) / Double(periods) - opt.orderFrequency) <= 0.02 * opt.orderFrequency)
    }

    /// The (s, S) cost of every policy on a grid, from the stationary distribution of the
    /// inventory position after ordering (a linear solve, independent of the renewal formula);
    /// the Zheng–Federgruen optimum must equal the grid minimum (1e-9) and its cost formula must
    /// agree with the chain for several policies.
    @Test(arguments: [(4.0, 0, 40.0, 125.0, 150.0), (10.0, 0, 1.0, 9.0, 64.0), (3.0, 1, 1.0, 19.0, 20.0), (6.0, 0, 1.0, 9.0, 0.0)])
    func ssMatchesMarkovChainEnumeration(mu: Double, leadTime: Int, h: Double, p: Double, k: Double) throws {
        let pmf1 = Reference.poissonPMF(mu, upTo: 250)
        let g = Self.gTable(mu: mu, leadTime: leadTime, h: h, p: p, range: -40...200)
        func chainCost(_ s: Int, _ bigS: Int) -> Double {
            let n = bigS - s  // states y = s+1 … S, index y − s − 1
            // π = π P with Σπ = 1: solve (Pᵀ − I)π = 0 with the last equation replaced by Σπ = 1.
            var a = [Double](repeating: 0, count: n * n)
            for from in 0..<n {
                let y = s + 1 + from
                var stay = 0.0
                for d in 0..<pmf1.count where y - d > s {
                    a[(y - d - s - 1) * n + from] += pmf1[d]
                    stay += pmf1[d]
                }
                a[(n - 1) * n + from] += 1 - stay  // → S (index n − 1)
            }
            for i in 0..<n { a[i * n + i] -= 1 }
            for j in 0..<n { a[(n - 1) * n + j] = 1 }
            var b = [Double](repeating: 0, count: n); b[n - 1] = 1
            let pi = Reference.solve(a, b, n: n)
            var cost = 0.0
            for i in 0..<n {
                let y = s + 1 + i
                var orderProbability = 0.0
                for d in 0..<pmf1.count where y - d <= s { orderProbability += pmf1[d] }
                cost += pi[i] * (g[y]! + k * orderProbability)
            }
            return cost
        }
        let opt = try SSPolicy.optimize(holding: h, stockout: p, fixedCost: k, demand: .poisson(mean: mu), leadTime: leadTime)
        var best = Double.infinity, bestPair = (0, 0)
        let centre = opt.s
        for s in (centre - 5)...(centre + 5) {
            for bigS in (s + 1)...(s + max(10, (opt.S - opt.s) * 3 / 2 + 3)) {
                let c = chainCost(s, bigS)
                if c < best - 1e-12 { best = c; bestPair = (s, bigS) }
            }
        }
        #expect(abs(opt.cost - best) <= 1e-9 * best, "ZF \(opt) vs enumeration \(bestPair) \(best)")
        #expect(abs(chainCost(opt.s, opt.S) - opt.cost) <= 1e-9 * best)
        for (ds, dS) in [(-2, 3), (1, -1), (0, 5)] where opt.s + ds < opt.S + dS {
            let formula = try SSPolicy.cost(
                s: opt.s + ds, S: opt.S + dS, holding: h, stockout: p, fixedCost: k, demand: .poisson(mean: mu), leadTime: leadTime)
            #expect(abs(formula - chainCost(opt.s + ds, opt.S + dS)) <= 1e-9 * formula)
        }
    }

    /// Continuous review, Hadley & Whitin's example 4.10 (λ = 400 per year, lead time 0.25 year,
    /// h = 2, backorder 0.3 per unit per year, K = 0.16) at (r, Q) = (96, 19): holding 16.38452936,
    /// backorders 0.65767940, ordering 3.36842105 per year, as computed with scipy by the third-party
    /// implementation WangWanpeng/inventory-systems (qr/federgruen_zheng_qr.py); 1e-6.
    @Test func continuousReviewHadleyWhitinExample() throws {
        let c = try RQPolicy.costContinuousReview(
            reorderPoint: 96, orderQuantity: 19, holding: 2, stockout: 0.3, fixedCost: 0.16,
            demand: .poisson(mean: 400), leadTime: 0.25)
        #expect(abs(c - (16.384_529_36 + 0.657_679_40 + 3.368_421_05)) <= 1e-6)
    }

    /// Continuous review with Poisson demand: the optimum equals the minimum of an exhaustive
    /// (r, Q) grid with costs computed here, and a seeded event simulation of the policy (unit
    /// demands, orders the moment the position reaches r, time-weighted holding and backorder
    /// costs, 300,000 demands) agrees with the model within 2 %.
    @Test(arguments: [(3.0, 2.0, 1.0, 9.0, 25.0), (0.5, 4.5, 2.0, 30.0, 10.0)])
    func rqContinuousReviewPoisson(lambda: Double, lead: Double, h: Double, p: Double, k: Double) throws {
        let pmf = Reference.poissonPMF(lambda * lead, upTo: 250)
        func g(_ y: Int) -> Double { Reference.periodCost(y, pmf: pmf, h: h, p: p) }
        var gTable: [Int: Double] = [:]
        for y in -40...160 { gTable[y] = g(y) }
        var best = Double.infinity, bestPair = (0, 0)
        for r in -20...40 {
            var window = 0.0
            for q in 1...100 {
                window += gTable[r + q]!
                let c = (k * lambda + window) / Double(q)
                if c < best - 1e-12 { best = c; bestPair = (r, q) }
            }
        }
        #expect(bestPair.0 > -20 && bestPair.1 < 100)
        let opt = try RQPolicy.optimizeContinuousReview(holding: h, stockout: p, fixedCost: k, demand: .poisson(mean: lambda), leadTime: lead)
        #expect(abs(opt.cost - best) <= 1e-9 * best, "\(opt) vs \(bestPair) \(best)")

        let r = Int(opt.reorderPoint), q = Int(opt.orderQuantity)
        var rng = SeededRandom(seed: 5)
        var t = 0.0, net = r + q, position = r + q
        var arrivals: [Double] = []
        var cost = 0.0, start = 0.0
        let warmUp = 2_000, demands = 300_000
        for i in 0..<(warmUp + demands) {
            var u = rng.uniform()
            while u <= 0 { u = rng.uniform() }
            let next = t - log(u) / lambda
            // Accrue cost piecewise between arrivals up to the next demand.
            while let first = arrivals.first, first <= next {
                if i > warmUp { cost += (first - t) * (net >= 0 ? h * Double(net) : p * Double(-net)) }
                t = first; net += q; arrivals.removeFirst()
            }
            if i > warmUp { cost += (next - t) * (net >= 0 ? h * Double(net) : p * Double(-net)) }
            t = next
            if i == warmUp { start = t }
            net -= 1; position -= 1
            if position <= r {
                position += q; arrivals.append(t + lead)
                if i >= warmUp { cost += k }
            }
        }
        let simulated = cost / (t - start)
        #expect(abs(simulated - opt.cost) <= 0.02 * opt.cost, "simulated \(simulated) vs model \(opt.cost)")
    }

    /// Published optima: Zheng & Federgruen's (1991) Poisson test problems, h = 1, p = 9, K = 64,
    /// zero lead time, as tabulated by Feng & Xiao (2000, IIE Transactions 32): μ = 10 → (6, 40),
    /// cost 35.0215552; μ = 20 → (14, 62), 49.173036; μ = 64 → (55, 74), 78.402321. Policies
    /// exact; costs to 1e-6 (the table's last digit).
    @Test(arguments: [(10.0, 6, 40, 35.021_555_2), (20.0, 14, 62, 49.173_036), (64.0, 55, 74, 78.402_321)])
    func ssPublishedTestProblems(mu: Double, s: Int, bigS: Int, cost: Double) throws {
        let r = try SSPolicy.optimize(holding: 1, stockout: 9, fixedCost: 64, demand: .poisson(mean: mu))
        #expect(r.s == s && r.S == bigS, "\(r)")
        #expect(abs(r.cost - cost) <= 1e-6)
    }

    @Test func badInput() {
        let poisson = try! DemandDistribution.poisson(mean: 4)
        #expect(throws: PolicyError(field: "lead time", reason: "must be 0 or more periods, got -2")) {
            try RQPolicy.optimize(holding: 1, stockout: 9, fixedCost: 10, demand: poisson, leadTime: -2)
        }
        #expect(throws: PolicyError.self) { try RQPolicy.optimize(holding: 1, stockout: -9, fixedCost: 10, demand: poisson, leadTime: 1) }
        #expect(throws: PolicyError.self) { try RQPolicy.optimize(holding: 1, stockout: 9, fixedCost: -1, demand: poisson, leadTime: 1) }
        #expect(throws: PolicyError(field: "demand", reason: "mean demand per period must be greater than 0")) {
            try SSPolicy.optimize(holding: 1, stockout: 9, fixedCost: 10, demand: try DemandDistribution.poisson(mean: 0))
        }
        #expect(throws: PolicyError.self) {
            try SSPolicy.optimize(holding: 1, stockout: 9, fixedCost: 10, demand: try DemandDistribution.normal(mean: 5, standardDeviation: 1))
        }
        #expect(throws: PolicyError.self) { try SSPolicy.cost(s: 5, S: 5, holding: 1, stockout: 9, fixedCost: 1, demand: poisson) }
    }
}
