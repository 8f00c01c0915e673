import Foundation
import KeelCore
import KeelPolicy
import KeelTestSupport
import Testing

@Suite struct OrderUpToTests {
    /// β(S) of a periodic order-up-to policy against a seeded simulation: Poisson demand per
    /// period, review every R periods, orders arriving L periods later, backorders, fill rate =
    /// units met from stock on hand / units demanded; 600,000 periods. Tolerance 0.005 absolute.
    @Test(arguments: [(4.0, 2, 3, 0.95), (1.5, 0, 1, 0.9), (10.0, 5, 7, 0.99)])
    func fillRateMatchesSimulation(mu: Double, lead: Int, review: Int, target: Double) throws {
        let plan = try SafetyStock.orderUpTo(
            demand: .poisson(mean: mu), leadTime: lead, reviewPeriod: review, service: .fill(target, orderQuantity: 1))
        #expect(plan.fillRate >= target - 1e-12)
        let s = Int(plan.orderUpToLevel)
        var rng = SeededRandom(seed: 11, stream: UInt64(lead * 100 + review))
        var net = s, position = s
        var pipeline = [Int](repeating: 0, count: lead + 1)
        var filled = 0, demanded = 0
        let warmUp = 1_000, periods = 600_000
        for t in 0..<(warmUp + periods) {
            if t % review == 0 {
                pipeline[lead] += s - position
                position = s
            }
            net += pipeline[0]
            pipeline.removeFirst()
            pipeline.append(0)
            let d = rng.poisson(mu)
            if t >= warmUp {
                demanded += d
                filled += min(d, max(net, 0))
            }
            net -= d
            position -= d
        }
        let simulated = Double(filled) / Double(demanded)
        #expect(abs(simulated - plan.fillRate) <= 0.005, "S = \(s): simulated \(simulated), formula \(plan.fillRate)")
    }

    /// The level is the smallest meeting the target: β by direct Poisson sums one unit below.
    @Test func smallestLevel() throws {
        let mu = 4.0, lead = 2, review = 3, target = 0.97
        let plan = try SafetyStock.orderUpTo(
            demand: .poisson(mean: mu), leadTime: lead, reviewPeriod: review, service: .fill(target, orderQuantity: 1))
        let full = Reference.poissonPMF(mu * Double(lead + review), upTo: 200)
        let before = Reference.poissonPMF(mu * Double(lead), upTo: 200)
        func loss(_ pmf: [Double], _ s: Int) -> Double {
            var total = 0.0
            for (k, p) in pmf.enumerated() where k > s { total += p * Double(k - s) }
            return total
        }
        func beta(_ s: Int) -> Double { 1 - (loss(full, s) - loss(before, s)) / (mu * Double(review)) }
        let s = Int(plan.orderUpToLevel)
        #expect(abs(beta(s) - plan.fillRate) <= 1e-12)
        #expect(beta(s) >= target && beta(s - 1) < target)
        // Cycle service: the 0.95-quantile of Poisson(20) is 28 (tables: F(27) = 0.9475, F(28) = 0.9657).
        let cycle = try SafetyStock.orderUpTo(demand: .poisson(mean: mu), leadTime: lead, reviewPeriod: review, service: .cycle(0.95))
        #expect(cycle.orderUpToLevel == 28)
        #expect(cycle.safetyStock == 8)
    }

    /// Normal tables (z(0.95) = 1.6448536) and numerical integration of the normal loss (1e-7).
    @Test func normalDemand() throws {
        // N(100, 20²) per period, L = 1, R = 2: cycle 0.95 → S = 300 + 1.6448536·20√3.
        let d = try DemandDistribution.normal(mean: 100, standardDeviation: 20)
        let cycle = try SafetyStock.orderUpTo(demand: d, leadTime: 1, reviewPeriod: 2, service: .cycle(0.95))
        #expect(abs(cycle.orderUpToLevel - (300 + 1.644_853_6 * 20 * 3.0.squareRoot())) <= 1e-5)
        let fill = try SafetyStock.orderUpTo(demand: d, leadTime: 1, reviewPeriod: 2, service: .fill(0.99, orderQuantity: 1))
        let shortage =
            Reference.normalLoss(fill.orderUpToLevel, mean: 300, sd: 20 * 3.0.squareRoot())
            - Reference.normalLoss(fill.orderUpToLevel, mean: 100, sd: 20)
        #expect(abs((1 - shortage / 200) - 0.99) <= 1e-7)
    }

    @Test func badInput() throws {
        let d = try DemandDistribution.poisson(mean: 3)
        #expect(throws: PolicyError.self) { try SafetyStock.orderUpTo(demand: d, leadTime: -1, reviewPeriod: 1, service: .cycle(0.9)) }
        #expect(throws: PolicyError(field: "review period", reason: "must be at least 1 period, got 0")) {
            try SafetyStock.orderUpTo(demand: d, leadTime: 1, reviewPeriod: 0, service: .cycle(0.9))
        }
        #expect(throws: PolicyError.self) { try SafetyStock.orderUpTo(demand: d, leadTime: 1, reviewPeriod: 1, service: .fill(1, orderQuantity: 1)) }
        #expect(throws: PolicyError.self) {
            try SafetyStock.orderUpTo(demand: try .poisson(mean: 0), leadTime: 1, reviewPeriod: 1, service: .cycle(0.9))
        }
    }
}
