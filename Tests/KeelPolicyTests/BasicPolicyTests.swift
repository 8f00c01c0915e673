import Foundation
import KeelCore
import KeelPolicy
import KeelTestSupport
import Testing

@Suite struct EOQTests {
    /// Hillier & Lieberman, *Introduction to Operations Research*, the TV-speaker example of the
    /// EOQ section: a = 8,000 speakers per month, K = $12,000, h = $0.30 per speaker per month →
    /// Q* = 25,298; with planned shortages at p = $1.10: Q* = 28,540 and S* = 22,424 (stock on
    /// arrival = Q* − largest backlog). Tolerance: the book rounds to whole speakers (±0.5).
    @Test func textbookSpeakerExample() throws {
        let plain = try EOQ.solve(fixedCost: 12_000, holding: 0.3, demandRate: 8_000)
        #expect(abs(plain.orderQuantity - 25_298) <= 0.5)
        // Cost by hand: √(2·12000·8000·0.3) = √57,600,000 = 7,589.466…
        #expect(isClose(plain.cost, 7_589.466_384, relative: 1e-9))
        #expect(
            isClose(EOQ.cost(orderQuantity: plain.orderQuantity, fixedCost: 12_000, holding: 0.3, demandRate: 8_000), plain.cost, relative: 1e-12))
        let planned = try EOQ.solve(fixedCost: 12_000, holding: 0.3, demandRate: 8_000, backorderCost: 1.1)
        #expect(abs(planned.orderQuantity - 28_540) <= 0.5)
        #expect(abs(planned.orderQuantity - planned.maximumBackorder - 22_424) <= 0.5)
        #expect(planned.cost < plain.cost)
    }

    @Test func badInputIsRefusedWithTheField() {
        #expect(throws: PolicyError(field: "holding cost", reason: "must be greater than 0, got -1.0")) {
            try EOQ.solve(fixedCost: 1, holding: -1, demandRate: 1)
        }
        #expect(throws: PolicyError.self) { try EOQ.solve(fixedCost: 1, holding: 1, demandRate: 0) }
        #expect(throws: PolicyError.self) { try EOQ.solve(fixedCost: 1, holding: 1, demandRate: 1, backorderCost: -2) }
        #expect(throws: PolicyError.self) { try EOQ.solve(fixedCost: .nan, holding: 1, demandRate: 1) }
    }
}

@Suite struct NewsvendorTests {
    /// Normal demand μ = 100, σ = 30, h = 1, p = 9: critical ratio 0.9, z = 1.2815516 (normal
    /// tables), base stock 100 + 30z = 138.44655, cost (h + p)σφ(z) = 10·30·0.1754983 = 52.64950.
    /// Tolerance 1e-6 relative (tables to 7 digits).
    @Test func normalHandComputed() throws {
        let r = try Newsvendor.solve(holding: 1, stockout: 9, demand: .normal(mean: 100, standardDeviation: 30))
        #expect(isClose(r.baseStock, 138.446_55, relative: 1e-6))
        #expect(isClose(r.cost, 52.649_50, relative: 1e-6))
    }

    /// Lead time L = 3 with per-period N(20, 5²): covers 4 periods, N(80, 10²).
    @Test func leadTimeCoversLPlusOnePeriods() throws {
        let r = try Newsvendor.solve(holding: 2, stockout: 8, demand: .normal(mean: 20, standardDeviation: 5), leadTime: 3)
        // z(0.8) = 0.8416212; y = 80 + 10z; cost = 10·10·φ(z) = 100·0.2799619.
        #expect(isClose(r.baseStock, 88.416_212, relative: 1e-7))
        #expect(isClose(r.cost, 27.996_19, relative: 1e-6))
    }

    /// Poisson(5), h = 1, p = 9: F(7) = 0.8666 < 0.9 ≤ F(8) = 0.9319 (Poisson tables), so y = 8;
    /// the cost is checked against a direct sum over the pmf and against every other level.
    @Test func poissonExact() throws {
        let r = try Newsvendor.solve(holding: 1, stockout: 9, demand: .poisson(mean: 5))
        #expect(r.baseStock == 8)
        let pmf = Reference.poissonPMF(5, upTo: 80)
        #expect(isClose(r.cost, Reference.periodCost(8, pmf: pmf, h: 1, p: 9), relative: 1e-12))
        for y in 0...20 where y != 8 { #expect(Reference.periodCost(y, pmf: pmf, h: 1, p: 9) > r.cost) }
    }

    @Test func badInput() {
        #expect(throws: PolicyError.self) { try Newsvendor.solve(holding: 1, stockout: 0, demand: .poisson(mean: 5)) }
        #expect(throws: PolicyError(field: "lead time", reason: "must be 0 or more periods, got -1")) {
            try Newsvendor.solve(holding: 1, stockout: 1, demand: .poisson(mean: 5), leadTime: -1)
        }
    }
}

@Suite struct WagnerWhitinTests {
    /// Nahmias, *Production and Operations Analysis*, the Wagner–Whitin example: requirements
    /// 18, 30, 42, 5, 20; K = $80; h = $2 per unit per period → order 48 in period 1 and 67 in
    /// period 3, cost $310. Exact (integers).
    @Test func textbookExample() throws {
        let r = try WagnerWhitin.solve(demand: [18, 30, 42, 5, 20], holding: 2, fixedCost: 80)
        #expect(r.orderQuantities == [48, 0, 67, 0, 0])
        #expect(r.cost == 310)
        #expect(r.orderCount == 2)
    }

    /// Brute force: every one of the 2^(T−1) order patterns (an order always in period 1) for
    /// 40 seeded random instances of 10 periods with zero-demand periods; costs equal to 1e-9.
    @Test func matchesEnumerationOfAllPlans() throws {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<40 {
            let t = 10
            let demand = (0..<t).map { _ in rng.chance(0.2) ? 0.0 : Double(rng.int(50)) }
            let h = 0.5 + Double(rng.int(30)) / 10, k = Double(10 + rng.int(200))
            var best = Double.infinity
            for mask in 0..<(1 << (t - 1)) {
                // Bit i set: an order in period i + 2. Period 1 always orders (if anything is needed).
                var cost = 0.0, stockStart = 0
                for period in 0..<t {
                    if period == 0 || mask & (1 << (period - 1)) != 0 {
                        stockStart = period
                        var q = 0.0
                        var e = period
                        while e < t && (e == period || mask & (1 << (e - 1)) == 0) { q += demand[e]; e += 1 }
                        if q > 0 { cost += k }
                    }
                    cost += h * Double(period - stockStart) * demand[period]
                }
                best = min(best, cost)
            }
            let r = try WagnerWhitin.solve(demand: demand, holding: h, fixedCost: k)
            #expect(abs(r.cost - best) <= 1e-9 * max(1, best), "\(demand) h=\(h) K=\(k)")
            // The plan delivers exactly the demand and never runs short.
            var stock = 0.0
            for (q, d) in zip(r.orderQuantities, demand) { stock += q - d; #expect(stock >= -1e-9) }
            #expect(abs(stock) <= 1e-9)
        }
    }

    @Test func badInput() {
        #expect(throws: PolicyError(field: "demand", reason: "is empty")) { try WagnerWhitin.solve(demand: [], holding: 1, fixedCost: 1) }
        #expect(throws: PolicyError.self) { try WagnerWhitin.solve(demand: [1, -2], holding: 1, fixedCost: 1) }
        #expect(throws: PolicyError.self) { try WagnerWhitin.solve(demand: [1], holding: -1, fixedCost: 1) }
    }
}
