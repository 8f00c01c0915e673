import Foundation
import KeelCore
import KeelPolicy
import KeelTestSupport
import Testing

@Suite struct DemandDistributionTests {
    /// Poisson(5) against published tables: F(7) = 0.8666, F(8) = 0.9319 (4 decimals), and the
    /// loss E(D − y)⁺ against a direct sum (1e-12).
    @Test func poissonCdfAndLoss() throws {
        let d = try DemandDistribution.poisson(mean: 5)
        #expect(abs(d.cdf(7) - 0.8666) < 5e-5)
        #expect(abs(d.cdf(8) - 0.9319) < 5e-5)
        #expect(abs(d.cdf(7.5) - d.cdf(7)) < 1e-15)
        #expect(d.cdf(-1) == 0)
        #expect(try d.quantile(0.9) == 8)
        let pmf = Reference.poissonPMF(5, upTo: 80)
        for y in 0...15 {
            var direct = 0.0
            for (k, p) in pmf.enumerated() where k > y { direct += p * Double(k - y) }
            #expect(abs(d.loss(Double(y)) - direct) <= 1e-12)
        }
        #expect(abs(d.loss(-3) - 8) <= 1e-12)  // E(D + 3) below the support
        #expect(d.mean == 5 && d.variance == 5)
    }

    /// A Poisson mean far beyond exp's range (μ = 10⁶) is still tabulated: mean and variance of the
    /// table within 1e-9 relative, and the median within 1 of μ − 1/3 (Choi 1994).
    @Test func largePoissonIsTabulatedWithoutUnderflow() throws {
        let d = try DemandDistribution.poisson(mean: 1_000_000)
        var m = 0.0, v = 0.0
        for (x, p) in zip(d.values, d.probabilities) { m += x * p }
        for (x, p) in zip(d.values, d.probabilities) { v += (x - m) * (x - m) * p }
        #expect(isClose(m, 1e6, relative: 1e-9))
        #expect(isClose(v, 1e6, relative: 1e-6))
        #expect(abs(try d.quantile(0.5) - (1e6 - 1.0 / 3)) <= 1)
    }

    /// Normal loss against Simpson integration of the density (1e-7 absolute), second-order
    /// loss against Simpson integration of the loss (1e-6 absolute).
    @Test func normalLossFunctions() throws {
        let d = try DemandDistribution.normal(mean: 50, standardDeviation: 8)
        for y in stride(from: 20.0, through: 90.0, by: 7.5) {
            #expect(abs(d.loss(y) - Reference.normalLoss(y, mean: 50, sd: 8)) <= 1e-7)
            // ∫_y^{y+40} loss(t) dt = G₂(y) − G₂(y + 40), by Simpson with 400 intervals.
            let n = 400, step = 40.0 / Double(n)
            var integral = 0.0
            for i in 0...n {
                let w: Double = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2)
                integral += w * Reference.normalLoss(y + Double(i) * step, mean: 50, sd: 8, intervals: 2_000)
            }
            integral *= step / 3
            #expect(abs((d.secondOrderLoss(y) - d.secondOrderLoss(y + 40)) - integral) <= 1e-5)
        }
        // Φ⁻¹ against tables: z(0.95) = 1.6448536, z(0.999) = 3.0902323.
        #expect(abs(try d.quantile(0.95) - (50 + 8 * 1.644_853_6)) <= 1e-6)
        #expect(abs(StandardNormal.quantile(0.999) - 3.090_232_3) <= 1e-7)
        #expect(abs(StandardNormal.quantile(1e-10) + 6.361_340_9) <= 1e-6)
    }

    /// Negative binomial mean 4, variance 12 (size r = 2, p = 1/3): P(k) = (k + 1)·(1/3)²·(2/3)^k.
    @Test func negativeBinomialPmf() throws {
        let d = try DemandDistribution.negativeBinomial(mean: 4, variance: 12)
        for k in 0..<20 {
            let exact = Double(k + 1) / 9 * pow(2.0 / 3, Double(k))
            let i = d.values.firstIndex(of: Double(k))!
            #expect(abs(d.probabilities[i] - exact) <= 1e-12)
        }
    }

    /// Summing over periods: Poisson and negative binomial by parameter; a pmf by convolution,
    /// checked against the enumeration of all triples.
    @Test func overPeriods() throws {
        #expect(try DemandDistribution.poisson(mean: 2).overPeriods(3).mean == 6)
        let n = try DemandDistribution.normal(mean: 10, standardDeviation: 3).overPeriods(4)
        #expect(n.mean == 40 && abs(n.standardDeviation - 6) < 1e-12)
        let base = [0.2, 0.5, 0.0, 0.3]
        let d = try DemandDistribution.pmf(base).overPeriods(3)
        var exact = [Double](repeating: 0, count: 10)
        for a in 0..<4 { for b in 0..<4 { for c in 0..<4 { exact[a + b + c] += base[a] * base[b] * base[c] } } }
        for k in 0..<10 {
            let p = d.values.firstIndex(of: Double(k)).map { d.probabilities[$0] } ?? 0
            #expect(abs(p - exact[k]) <= 1e-14)
        }
        #expect(throws: PolicyError.self) { try DemandDistribution.empirical(values: [1.5, 2.5]).overPeriods(2) }
    }

    /// An equally weighted sample: quantiles and loss by hand.
    @Test func empiricalSample() throws {
        let d = try DemandDistribution.empirical(values: [4, 1, 3, 2])
        #expect(d.mean == 2.5)
        #expect(try d.quantile(0.5) == 2)
        #expect(try d.quantile(0.51) == 3)
        #expect(abs(d.loss(2.5) - 0.5) < 1e-15)  // (0.5 + 1.5)/4
        #expect(abs(d.cdf(3) - 0.75) < 1e-15)
    }

    /// A normal fitted to exact normal quantiles recovers σ (1e-9); two levels by hand:
    /// mean 50, q(0.9) = 60.2, q(0.95) = 63.4 → σ = (1.2815516·10.2 + 1.6448536·13.4)/(1.2815516² + 1.6448536²).
    @Test func normalFittedToQuantiles() throws {
        let levels = [0.5, 0.9, 0.95]
        let exact = levels.map { 40 + 7 * StandardNormal.quantile($0) }
        #expect(abs(try DemandDistribution.normal(mean: 40, quantiles: exact, levels: levels).standardDeviation - 7) <= 1e-9)
        let z9 = 1.281_551_6, z95 = 1.644_853_6
        let byHand = (z9 * 10.2 + z95 * 13.4) / (z9 * z9 + z95 * z95)
        #expect(abs(try DemandDistribution.normal(mean: 50, quantiles: [60.2, 63.4], levels: [0.9, 0.95]).standardDeviation - byHand) <= 1e-6)
        #expect(throws: PolicyError.self) { try DemandDistribution.normal(mean: 50, quantiles: [50], levels: [0.5]) }
        #expect(throws: PolicyError.self) { try DemandDistribution.normal(mean: 50, quantiles: [40], levels: [0.9]) }
        #expect(throws: PolicyError.self) { try DemandDistribution.normal(mean: 50, quantiles: [60], levels: [1.0]) }
    }

    /// Lumpy demand (variance/mean 100) still tabulates, with its mean and variance (1e-9
    /// relative); an extreme dispersion is refused with an error, not a giant table.
    @Test func dispersedNegativeBinomial() throws {
        let d = try DemandDistribution.negativeBinomial(mean: 0.05, variance: 5)
        var m = 0.0, v = 0.0
        for (x, p) in zip(d.values, d.probabilities) { m += x * p }
        for (x, p) in zip(d.values, d.probabilities) { v += (x - m) * (x - m) * p }
        #expect(isClose(m, 0.05, relative: 1e-9))
        #expect(isClose(v, 5, relative: 1e-9))
        #expect(throws: PolicyError.self) { try DemandDistribution.negativeBinomial(mean: 0.001, variance: 1e5) }
    }

    @Test func badInput() {
        #expect(throws: PolicyError(field: "demand pmf", reason: "is empty")) { try DemandDistribution.pmf([]) }
        #expect(throws: PolicyError(field: "demand sample", reason: "is empty")) { try DemandDistribution.empirical(values: []) }
        #expect(throws: PolicyError.self) { try DemandDistribution.pmf([0.5, 0.2]) }
        #expect(throws: PolicyError.self) { try DemandDistribution.pmf([1.2, -0.2]) }
        #expect(throws: PolicyError.self) { try DemandDistribution.normal(mean: -1, standardDeviation: 1) }
        #expect(throws: PolicyError.self) { try DemandDistribution.normal(mean: 1, standardDeviation: -1) }
        #expect(throws: PolicyError.self) { try DemandDistribution.poisson(mean: .infinity) }
        #expect(throws: PolicyError.self) { try DemandDistribution.negativeBinomial(mean: 5, variance: 2) }
        #expect(throws: PolicyError.self) { try DemandDistribution.poisson(mean: 3).quantile(1) }
        #expect(throws: PolicyError.self) { try DemandDistribution.poisson(mean: 3).overPeriods(0) }
    }
}
