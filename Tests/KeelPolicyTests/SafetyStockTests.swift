import Foundation
import KeelCore
import KeelPolicy
import KeelTestSupport
import Testing

@Suite struct SafetyStockTests {
    /// Cycle service from normal tables: z(0.95) = 1.6448536; lead-time demand N(80, 10²) →
    /// reorder point 96.448536, safety stock 16.448536 (1e-6).
    @Test func cycleServiceNormal() throws {
        let d = try DemandDistribution.normal(mean: 20, standardDeviation: 5).overPeriods(4)
        let r = try SafetyStock.plan(distribution: d, service: .cycle(0.95))
        #expect(abs(r.reorderPoint - 96.448_536) <= 1e-6)
        #expect(abs(r.safetyStock - 16.448_536) <= 1e-6)
        #expect(abs(r.cycleService - 0.95) <= 1e-12)
        #expect(r.fillRate == nil)
    }

    /// Poisson(8): F(12) = 0.9362 < 0.95 ≤ F(13) = 0.9658 (Poisson tables) → reorder point 13.
    @Test func cycleServicePoisson() throws {
        let r = try SafetyStock.plan(distribution: .poisson(mean: 8), service: .cycle(0.95))
        #expect(r.reorderPoint == 13)
        #expect(r.safetyStock == 5)
        #expect(abs(r.cycleService - 0.9658) < 5e-5)
    }

    /// β(r) for Poisson lead-time demand against a seeded simulation of the continuous-review
    /// (r, Q) policy: unit demands at rate λ = 2 per period, lead time 5 periods (lead-time demand
    /// Poisson(10)), Q = 15, backorders; 600,000 demands each. Tolerance 0.005 absolute (the
    /// simulation's standard error is below 0.001).
    @Test(arguments: [6, 9, 12])
    func fillRateMatchesSimulation(reorderPoint r: Int) throws {
        let q = 15, lambda = 2.0, lead = 5.0
        let d = try DemandDistribution.poisson(mean: lambda * lead)
        let formula = try SafetyStock.fillRate(distribution: d, reorderPoint: Double(r), orderQuantity: Double(q))
        var rng = SeededRandom(seed: 99, stream: UInt64(r))
        var t = 0.0, net = r + q, position = r + q
        var arrivals: [Double] = []  // due times, in order
        var filled = 0, total = 0
        let warmUp = 2_000, demands = 600_000
        for i in 0..<(warmUp + demands) {
            var u = rng.uniform()
            while u <= 0 { u = rng.uniform() }
            t += -log(u) / lambda
            while let first = arrivals.first, first <= t { net += q; arrivals.removeFirst() }
            if i >= warmUp { total += 1; if net > 0 { filled += 1 } }
            net -= 1; position -= 1
            if position <= r { position += q; arrivals.append(t + lead) }
        }
        let simulated = Double(filled) / Double(total)
        #expect(abs(simulated - formula) <= 0.005, "r = \(r): simulated \(simulated), formula \(formula)")
    }

    /// The fill-rate reorder point is the smallest meeting the target: checked with fill rates
    /// computed here from Poisson sums (discrete) and normal integration (continuous).
    @Test func fillTargetIsTheSmallestReorderPoint() throws {
        let pmf = Reference.poissonPMF(10, upTo: 120)
        func fill(_ r: Int, _ q: Int) -> Double {
            var short = 0.0  // Σ_{y=r+1}^{r+Q} P(D ≥ y)
            for y in (r + 1)...(r + q) { short += pmf[max(0, y)...].reduce(0, +) }
            return 1 - short / Double(q)
        }
        for target in [0.9, 0.95, 0.99] {
            let r = try SafetyStock.reorderPoint(distribution: .poisson(mean: 10), service: .fill(target, orderQuantity: 15))
            #expect(fill(Int(r), 15) >= target - 1e-12)
            #expect(fill(Int(r) - 1, 15) < target)
        }
        let normal = try DemandDistribution.normal(mean: 100, standardDeviation: 20)
        let r = try SafetyStock.reorderPoint(distribution: normal, service: .fill(0.98, orderQuantity: 120))
        let shortage = Reference.normalLoss(r, mean: 100, sd: 20) - Reference.normalLoss(r + 120, mean: 100, sd: 20)
        #expect(abs((1 - shortage / 120) - 0.98) <= 1e-7)
        #expect(abs(SafetyStock.expectedShortage(distribution: normal, level: r) - Reference.normalLoss(r, mean: 100, sd: 20)) <= 1e-7)
    }

    /// A forecast's lead-time quantiles as an equally weighted sample.
    @Test func sampleOfQuantiles() throws {
        let d = try DemandDistribution.empirical(values: [10, 12, 13, 15, 18, 20, 24, 30, 35, 50])
        #expect(try SafetyStock.reorderPoint(distribution: d, service: .cycle(0.9)) == 35)
        #expect(try SafetyStock.reorderPoint(distribution: d, service: .cycle(0.91)) == 50)
        // Fill with Q = 20: β(r) = 1 − [E(D − r)⁺ − E(D − r − 20)⁺]/20; at r = 30:
        // E(D − 30)⁺ = (5 + 20)/10 = 2.5, E(D − 50)⁺ = 0 → β = 1 − 2.5/20 = 0.875.
        #expect(abs(try SafetyStock.fillRate(distribution: d, reorderPoint: 30, orderQuantity: 20) - 0.875) <= 1e-12)
        // At r = 20: E(D − 20)⁺ = (4 + 10 + 15 + 30)/10 = 5.9, E(D − 40)⁺ = 1.0 → β = 1 − 4.9/20 = 0.755.
        #expect(abs(try SafetyStock.fillRate(distribution: d, reorderPoint: 20, orderQuantity: 20) - 0.755) <= 1e-12)
    }

    @Test func badInput() throws {
        let d = try DemandDistribution.poisson(mean: 5)
        for bad in [0.0, 1.0, 1.5, -0.1, .nan] {
            #expect(throws: PolicyError.self) { try SafetyStock.reorderPoint(distribution: d, service: .cycle(bad)) }
            #expect(throws: PolicyError.self) { try SafetyStock.reorderPoint(distribution: d, service: .fill(bad, orderQuantity: 10)) }
        }
        #expect(throws: PolicyError(field: "order quantity", reason: "must be greater than 0, got 0.0")) {
            try SafetyStock.reorderPoint(distribution: d, service: .fill(0.9, orderQuantity: 0))
        }
        #expect(throws: PolicyError.self) { try SafetyStock.fillRate(distribution: d, reorderPoint: 3, orderQuantity: -1) }
    }
}
