import Foundation
import KeelCore
import KeelPolicy
import KeelTestSupport
import Testing

@Suite struct LostSalesReviewTests {
    /// Bernoulli daily demand P(D = 1) = p, review 2 days, lead 1 day, (s, S) = (0, 1). By hand:
    /// whether an order was placed or the unit is still there, every cycle starts day 1 with one
    /// unit; it sells on day 1 with p, else on day 2 with p: served p + (1 − p)p per cycle against
    /// demand 2p, so fill = (2 − p)/2; on hand at the ends of days 1 and 2: (1 − p) + (1 − p)².
    @Test func bernoulliDemandByHand() throws {
        for p in [0.1, 0.5, 0.9] {
            let e = try LostSalesReview.evaluate(dailyPMF: [1 - p, p], review: 2, lead: 1, reorderPoint: 0, orderUpTo: 1)
            #expect(isClose(e.fillRate, (2 - p) / 2, relative: 1e-12))
            #expect(isClose(e.averageOnHand, ((1 - p) + (1 - p) * (1 - p)) / 2, relative: 1e-12))
            // An order is placed when the cycle ended with the unit sold: p + (1 − p)p.
            #expect(isClose(e.orderProbability, p + (1 - p) * p, relative: 1e-12))
        }
        // Lead = review = 1: the order always lands before the next day's demand, nothing is lost.
        let sameDay = try LostSalesReview.evaluate(dailyPMF: [0.3, 0.7], review: 1, lead: 1, reorderPoint: 0, orderUpTo: 1)
        #expect(isClose(sameDay.fillRate, 1, relative: 1e-12))
    }

    /// Poisson λ = 0.05 a day, review 2, lead 1, (0, 1): fill = (1 − e^{−2λ})/(2λ) = 0.951626
    /// (the doc's "about 95 %"), where the backorder (Hadley–Whitin) expression over L + R = 3 days
    /// gives 1 − (1 − e^{−3λ}) = 0.860708.
    @Test func slowMoverAgainstClosedForm() throws {
        let lambda = 0.05
        let pmf = try DemandDistribution.poisson(mean: lambda).densePMF()!
        #expect(pmf.offset == 0)
        let e = try LostSalesReview.evaluate(dailyPMF: pmf.pmf, review: 2, lead: 1, reorderPoint: 0, orderUpTo: 1)
        #expect(isClose(e.fillRate, (1 - exp(-2 * lambda)) / (2 * lambda), relative: 1e-9))
        let hw = 1 - (1 - exp(-3 * lambda))
        #expect(abs(hw - 0.860708) < 1e-6)
        #expect(e.fillRate - hw > 0.09)
    }

    /// Against an independent day-by-day simulation (its own loop, seeded Poisson demand, 2 million
    /// days): fill rate within 0.004 and average on hand within 1 %.
    @Test(arguments: [(0.4, 2, 1, 1, 4), (1.5, 3, 2, 3, 6), (0.2, 7, 3, 0, 3), (3.0, 2, 2, 5, 9)])
    func agreesWithSimulation(lambda: Double, review: Int, lead: Int, s: Int, S: Int) throws {
        let pmf = try DemandDistribution.poisson(mean: lambda).densePMF()!
        #expect(pmf.offset == 0)
        let e = try LostSalesReview.evaluate(dailyPMF: pmf.pmf, review: review, lead: lead, reorderPoint: s, orderUpTo: S)
        var rng = SeededRandom(seed: 7)
        var onHand = S, pending = 0, arrival = -1
        var demand = 0, served = 0, onHandDays = 0
        let days = 2_000_000
        for day in 1...days {
            if day == arrival { onHand += pending; pending = 0 }
            let d = rng.poisson(lambda)
            let sold = min(onHand, d)
            onHand -= sold; demand += d; served += sold
            onHandDays += onHand
            if day % review == 0, onHand <= s {
                pending = S - onHand; arrival = day + lead
            }
        }
        #expect(abs(e.fillRate - Double(served) / Double(demand)) < 0.004)
        #expect(isClose(e.averageOnHand, Double(onHandDays) / Double(days), relative: 0.01))
    }

    /// The smallest s meeting the target is the first s whose evaluation passes (checked one by one).
    @Test func smallestReorderPointIsTheFirstThatMeetsTheTarget() throws {
        let pmf = try DemandDistribution.negativeBinomial(mean: 1.2, variance: 3).densePMF()!.pmf
        for target in [0.5, 0.9, 0.97, 0.995] {
            let found = try #require(try LostSalesReview.smallestReorderPoint(dailyPMF: pmf, review: 2, lead: 2, orderQuantity: 4, target: target))
            #expect(found.evaluation.fillRate >= target)
            if found.reorderPoint > 0 {
                let below = try LostSalesReview.evaluate(dailyPMF: pmf, review: 2, lead: 2, reorderPoint: found.reorderPoint - 1,
                                                         orderUpTo: found.reorderPoint - 1 + 4)
                #expect(below.fillRate < target)
            }
        }
        // Out of reach within the level limit.
        #expect(try LostSalesReview.smallestReorderPoint(dailyPMF: pmf, review: 2, lead: 2, orderQuantity: 4, target: 0.999999, levelLimit: 8) == nil)
    }

    @Test func badInputIsRefused() {
        #expect(throws: PolicyError.self) { try LostSalesReview.evaluate(dailyPMF: [0.5, 0.4], review: 2, lead: 1, reorderPoint: 0, orderUpTo: 1) }
        #expect(throws: PolicyError.self) { try LostSalesReview.evaluate(dailyPMF: [0.5, 0.5], review: 2, lead: 3, reorderPoint: 0, orderUpTo: 1) }
        #expect(throws: PolicyError.self) { try LostSalesReview.evaluate(dailyPMF: [0.5, 0.5], review: 2, lead: 1, reorderPoint: 2, orderUpTo: 2) }
        #expect(throws: PolicyError.self) { try LostSalesReview.evaluate(dailyPMF: [0.5, 0.5], review: 0, lead: 1, reorderPoint: 0, orderUpTo: 1) }
    }
}
