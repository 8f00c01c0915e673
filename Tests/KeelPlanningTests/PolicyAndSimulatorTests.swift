import Foundation
import KeelCore
import KeelPlanning
import KeelPolicy
import KeelStore
import KeelTestSupport
import Testing

/// Poisson pmf, written here independently of KeelPolicy (log-space terms, summed far into the tail).
func poissonPMF(_ mean: Double, upTo n: Int) -> [Double] {
    (0...n).map { k in exp(-mean + Double(k) * log(mean) - lgamma(Double(k) + 1)) }
}
/// E[(D − x)⁺] by direct summation.
func shortage(_ pmf: [Double], above x: Double) -> Double {
    pmf.enumerated().reduce(0) { $0 + max(0, Double($1.offset) - x) * $1.element }
}

@Suite struct ReorderPolicyTests {
    @Test func reorderPointIsTheSmallestMeetingTheFillRateByBruteForce() {
        // Poisson demand over the protection interval with mean 6 (variance 6): β(s, Q) by direct
        // summation for every s; the policy must pick the smallest s with β ≥ target.
        let pmf = poissonPMF(6, upTo: 80)
        for (q, target) in [(4.0, 0.9), (10.0, 0.95), (1.0, 0.98), (25.0, 0.99)] {
            let policy = ReorderPolicy.make(protection: (6, 6), dailyMean: 2, orderCost: 0, holdingPerDay: 1, casePack: 1, minOrderQty: q, target: target)
            #expect(policy.orderQuantity == q)
            let expected = (0...80).first { s in 1 - (shortage(pmf, above: Double(s)) - shortage(pmf, above: Double(s) + q)) / q >= target }!
            #expect(policy.reorderPoint == Double(expected), "Q \(q), target \(target)")
            #expect(policy.orderUpTo == Double(expected) + q)
            #expect(abs(policy.safetyStock - (Double(expected) - 6)) < 1e-12)
            let beta = 1 - (shortage(pmf, above: Double(expected)) - shortage(pmf, above: Double(expected) + q)) / q
            #expect(abs(policy.fillRate - beta) < 1e-9)
        }
    }

    @Test func orderQuantityIsTheEOQInWholeCasesAndAtLeastTheMOQ() {
        // EOQ = √(2·K·λ/h) = √(2·50·3/0.01) = √30000 = 173.2 → 180 in cases of 12.
        let p = ReorderPolicy.make(protection: (30, 30), dailyMean: 3, orderCost: 50, holdingPerDay: 0.01, casePack: 12, minOrderQty: 0, target: 0.95)
        #expect(p.orderQuantity == 180)
        let moq = ReorderPolicy.make(protection: (30, 30), dailyMean: 3, orderCost: 50, holdingPerDay: 0.01, casePack: 12, minOrderQty: 250, target: 0.95)
        #expect(moq.orderQuantity == 252)
        // An order at position y is S − y rounded up to the case pack; none above s.
        #expect(p.order(position: p.reorderPoint + 1, casePack: 12, minOrderQty: 0) == 0)
        let y = p.reorderPoint - 5
        #expect(p.order(position: y, casePack: 12, minOrderQty: 0) == ((p.orderUpTo - y) / 12).rounded(.up) * 12)
    }

    @Test func projectedFillRateIsOneMinusExpectedShortageOverMean() {
        let p = ReorderPolicy.make(protection: (6, 6), dailyMean: 2, orderCost: 0, holdingPerDay: 1, casePack: 1, minOrderQty: 4, target: 0.9)
        let pmf = poissonPMF(6, upTo: 80)
        for y in [0.0, 3, 6, 9, 14] {
            #expect(abs(p.projectedFillRate(afterOrder: y) - (1 - shortage(pmf, above: y) / 6)) < 1e-9)
        }
    }

    @Test func dailyVarianceFromQuantiles() {
        // σ from q0.9 − q0.5 = 1.2816 σ and q0.95 − q0.5 = 1.6449 σ, both giving σ = 2 → variance 4;
        // floored at the mean when the quantiles are narrower than Poisson.
        let v = PairDemand.dailyVariance(mean: 3, quantiles: [3, 3 + 2 * 1.2815515655446004, 3 + 2 * 1.6448536269514722], levels: [0.5, 0.9, 0.95])
        #expect(abs(v - 4) < 1e-9)
        #expect(PairDemand.dailyVariance(mean: 3, quantiles: [3, 3.1], levels: [0.5, 0.9]) == 3)
    }
}

@Suite struct InventorySimulatorTests {
    func subject(_ demand: [Double], s: Double, S: Double, review: Int = 1, lead: Double = 2) -> InventorySimulator.Subject {
        .init(label: "x", demand: demand[...], reorderPoint: s, orderUpTo: S, reviewDays: review, reviewOffset: 0, leadTimeMean: lead,
              leadTimeSD: 0, casePack: 1, minOrderQty: 0, unitCost: 1, seed: 1)
    }

    @Test func traceByHand() {
        // s = 3, S = 6, lead 2, daily review, demand 2 a day; start mid-cycle: ⌈3 + 3/2⌉ = 5 on hand.
        // day 0: 5 − 2 = 3 ≤ s → order 3 (arrives day 2); 1: 1; 2: 1 + 3 − 2 = 2 → order 4 (day 4);
        // 3: 0; 4: 4 − 2 = 2 → order 4 (day 6); 5: 0. Ends of day 3, 1, 2, 0, 2, 0 → 8 unit-days.
        let t = InventorySimulator.run(subject([2, 2, 2, 2, 2, 2], s: 3, S: 6))
        #expect(t.demand == 12 && t.served == 12 && t.lostUnits == 0)
        #expect(t.orders == 3)
        #expect(t.inventoryValueDays == 8)
        #expect(abs(t.averageInventoryValue - 8.0 / 6) < 1e-12)
        // Lost sales: 8 against 5 on hand loses 3; the order of 6 arrives on day 2.
        let l = InventorySimulator.run(subject([8, 0, 0], s: 3, S: 6))
        #expect(l.served == 5 && l.lostUnits == 3 && l.orders == 1)
        #expect(l.inventoryValueDays == 6)
        #expect(abs(l.fillRate - 0.625) < 1e-12)
    }

    @Test func reviewPeriodDelaysOrders() {
        // Review on days 0 and 3 only. day 0: 5 − 2 = 3 → order 3 (day 2); 1: 1; 2: 1 + 3 − 2 = 2;
        // 3: 0 → order 6 (day 5); 4: nothing on hand, 2 lost; 5: 6 − 2 = 4. Ends 3, 1, 2, 0, 0, 4.
        let t = InventorySimulator.run(subject([2, 2, 2, 2, 2, 2], s: 3, S: 6, review: 3))
        #expect(t.lostUnits == 2)
        #expect(t.orders == 2)
        #expect(t.inventoryValueDays == 10)
    }

    @Test func nightlyPoliciesReplaceTheFixedOne() {
        var s = subject([2, 2, 0, 0], s: 3, S: 6, lead: 1)
        s.reorderPoints = [0, 10, 10, 10]; s.orderUpTos = [4, 20, 20, 20]
        let t = InventorySimulator.run(s)
        // Start ⌈0 + 4/2⌉ = 2. Day 0 (s 0, S 4): 2 − 2 = 0 ≤ 0 → order 4 (day 1). Day 1 (s 10, S 20):
        // 4 − 2 = 2 ≤ 10 → order 18 (day 2). Days 2, 3: 2 + 18 = 20 on hand. Ends 0, 2, 20, 20.
        #expect(t.orders == 2)
        #expect(t.served == 4)
        #expect(t.inventoryValueDays == 0 + 2 + 20 + 20)
    }

    @Test func minMaxTuningFindsTheSmallestBufferReachingTheTarget() {
        // Demand 1 a day, lead 2, EOQ 4: min = 2 + b, max = min + 4. With b < 0 the rule stocks out.
        let base = subject([Double](repeating: 1, count: 60), s: 0, S: 0)
        let items = [MinMaxBaseline.Item(subject: base, dailyMean: 1, eoq: 4)]
        let tuned = MinMaxBaseline.tuned(items, fillRate: 1.0, maxBufferDays: 10)
        #expect(tuned.overall.fillRate == 1)
        // A slightly smaller buffer misses the target: the bisection stopped at the boundary.
        let below = InventorySimulator.run(MinMaxBaseline.subjects(items, bufferDays: tuned.bufferDays - 1.01))
        #expect(below.overall.fillRate < 1)
    }
}

@Suite struct PlanningConfigurationTests {
    @Test func modelsFileEqualsTheDefaults() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let config = try PlanningConfiguration.load(path: root.appendingPathComponent("Models/planning.json").path)
        #expect(config == PlanningConfiguration.defaults)
    }

    @Test func badTargetsAreRefusedWithTheKey() {
        let dir = TemporaryDirectory()
        let path = dir.write("p.json", #"{"fill_rate_targets": {"AX": 1.2, "AY": 0.9, "AZ": 0.9, "BX": 0.9, "BY": 0.9, "BZ": 0.9, "CX": 0.9, "CY": 0.9, "CZ": 0.9}}"#)
        #expect(throws: PlanningError.self) { try PlanningConfiguration.load(path: path) }
        do { _ = try PlanningConfiguration.load(path: path) } catch { #expect(error.message.contains("fill_rate_targets.AX = 1.2")) }
        let missing = dir.write("q.json", #"{"fill_rate_targets": {"AX": 0.9}}"#)
        do { _ = try PlanningConfiguration.load(path: missing); Issue.record("accepted") } catch { #expect(error.message.contains("no target for class AY")) }
        let review = dir.write("r.json", #"{"dc_review_period_days": 0}"#)
        do { _ = try PlanningConfiguration.load(path: review); Issue.record("accepted") } catch { #expect(error.message.contains("review")) }
    }
}
