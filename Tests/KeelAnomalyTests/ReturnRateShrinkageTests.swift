import Testing

@testable import KeelAnomaly

/// The beta-binomial prior of return_rate_outlier against hand-computed method-of-moments values.
@Suite struct ReturnRateShrinkageTests {
    @Test func methodOfMomentsPriorAndShrinkage() throws {
        // Five entities of 10 trials; returns 1, 1, 1, 1, 6.
        // m = 10/50 = 0.2; s² = (4·10·0.1² + 10·0.4²)/50 = 0.04; E[1/n] = 0.1;
        // between = 0.04 − 0.2·0.8·0.1 = 0.024; α + β = 0.16/0.024 − 1 = 5.6667.
        let es = [1.0, 1, 1, 1, 6].enumerated().map {
            ReturnRateDetector.Entity(id: "e\($0.offset)", location: nil, n: 10, k: $0.element, refunds: 0)
        }
        let prior = try #require(ReturnRateDetector.prior(es, minimumTrials: 8))
        #expect(abs(prior.mean - 0.2) < 1e-12)
        #expect(abs(prior.strength - (0.16 / 0.024 - 1)) < 1e-9)
        // The 6-of-10 entity shrinks to (6 + α)/(10 + α + β) = (6 + 1.13333)/(15.66667) = 0.45532.
        let alpha = prior.mean * prior.strength
        let shrunk = (6 + alpha) / (10 + prior.strength)
        #expect(abs(shrunk - 7.133333333 / 15.666666667) < 1e-6)
        // Entities under the minimum trials are left out of the prior: with three or fewer left, none.
        #expect(ReturnRateDetector.prior(Array(es.prefix(2)), minimumTrials: 8) == nil)
    }
}
