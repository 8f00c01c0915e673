import Foundation
import KeelCore
import KeelForecast
import Testing

/// Price and promotion effects learned per group and applied as multipliers (`DriverEffects`,
/// `AutoForecaster` with effects), checked against the parameters of a known generator.
@Suite struct DriverEffectsTests {
    static let elasticity = -2.0, promotionLog = 0.4, regular = 10.0

    /// 60 series of one department over 420 days + 28: Poisson demand with mean
    /// ℓᵢ·(p/10)^−2·e^{0.4·promo}·(weekend ×1.3); prices move between 9, 10 and 12 and promotions
    /// (at 8) run on ~6 % of days. The last 20 series never change price or promotion.
    static func department(seed: UInt64 = 7, count: Int = 60, elasticity: Double = elasticity, promotionLog: Double = promotionLog,
                           idPrefix: String = "s") -> (panel: SeriesPanel, prices: [[Double]], promotions: [[Double]], varies: [Bool]) {
        var rng = SeededRandom(seed: seed)
        var panel = SeriesPanel(frequency: .daily)
        var prices: [[Double]] = [], promotions: [[Double]] = [], varies: [Bool] = []
        let n = 420, h = 28, first = 20_000  // 2024-10-04
        for i in 0..<count {
            let level = 0.5 + Double(i % 10) * 0.4
            let moving = i < count * 2 / 3
            var p = [Double](repeating: regular, count: n + h), q = [Double](repeating: 0, count: n + h)
            if moving {
                var t = 0
                while t < n + h {
                    let span = 14 + rng.int(30)
                    let price = [9.0, 10, 10, 12][rng.int(4)]
                    for d in t..<min(n + h, t + span) { p[d] = price }
                    t += span
                }
                for d in 0..<(n + h) where rng.chance(0.012) {
                    for k in d..<min(n + h, d + 5) { p[k] = 8; q[k] = 1 }
                }
            }
            var y = [Double](repeating: 0, count: n)
            for t in 0..<n {
                let dow = ((first + t) + 3) % 7  // 0 = Monday
                let mean = level * pow(p[t] / regular, elasticity) * exp(promotionLog * q[t]) * (dow >= 5 ? 1.3 : 1)
                y[t] = Double(rng.poisson(mean))
            }
            panel.append(id: "\(idPrefix)\(i)", start: first, values: y)
            prices.append(p); promotions.append(q); varies.append(moving)
        }
        return (panel, prices, promotions, varies)
    }

    @Test func recoversTheGeneratorsElasticityAndUplift() {
        let (panel, prices, promotions, varies) = Self.department()
        let e = DriverEffects.estimate(panel, groups: Array(repeating: "Tops", count: 60), days: 448, horizon: 28,
                                       prices: { prices[$0][...] }, promotions: { promotions[$0][...] }, varies: varies)
        #expect(e.groups.count == 1)
        let g = e.groups[0]
        #expect(g.series == 40 && g.adjusted == 40 && g.converged && g.failure == nil)
        // Generator: −2 and e^0.4 = 1.492 (tolerances: sampling error of ~40 × 420 Poisson days).
        #expect(abs(g.elasticity! - Self.elasticity) < 0.15, "elasticity \(g.elasticity!)")
        #expect(abs(g.promotionUplift! - exp(Self.promotionLog)) < 0.12, "uplift \(g.promotionUplift!)")
        // Series whose drivers never move are not adjusted; the others are 1 at their regular price.
        #expect(e.multipliers[40...].allSatisfy { $0 == nil })
        #expect(e.adjustedCount == 40)
        let m0 = e.multipliers[0]!
        for d in 0..<448 where prices[0][d] == 10 && promotions[0][d] == 0 { #expect(m0[d] == 1) }
        // A promoted day at 8: (8/10)^β · e^γ with the fitted β, γ.
        if let d = promotions[0].firstIndex(of: 1) {
            #expect(abs(m0[d] - pow(0.8, g.elasticity!) * g.promotionUplift!) < 1e-9)
        }
    }

    /// Several departments: each is fitted with a prior centred on the whole panel's effects, so
    /// a department with little price history stays near the panel's, one with plenty follows its own.
    @Test func departmentsShrinkTowardsTheWholePanel() {
        let big = Self.department(seed: 1, count: 90)                                 // −2, e^0.4
        let own = Self.department(seed: 2, count: 90, elasticity: -1, idPrefix: "o")   // −1, e^0.4
        let tiny = Self.department(seed: 3, count: 3, elasticity: -4, idPrefix: "t")   // −4, 2 moving series
        var panel = SeriesPanel(frequency: .daily)
        var prices: [[Double]] = [], promotions: [[Double]] = [], varies: [Bool] = [], groups: [String] = []
        for (name, d) in [("Big", big), ("Own", own), ("Tiny", tiny)] {
            for s in 0..<d.panel.count {
                panel.append(id: d.panel.ids[s], start: d.panel.starts[s], values: Array(d.panel.series(s)))
                groups.append(name)
            }
            prices += d.prices; promotions += d.promotions; varies += d.varies
        }
        let e = DriverEffects.estimate(panel, groups: groups, days: 448, horizon: 28,
                                       prices: { prices[$0][...] }, promotions: { promotions[$0][...] }, varies: varies)
        let chain = try! #require(e.panel)
        let byName = Dictionary(uniqueKeysWithValues: e.groups.map { ($0.group, $0) })
        let bigFit = byName["Big"]!.elasticity!, ownFit = byName["Own"]!.elasticity!, tinyFit = byName["Tiny"]!.elasticity!
        // The panel mixes −2, −1 and a little −4: between −2 and −1.
        #expect(chain.elasticity! < -1.2 && chain.elasticity! > -1.9, "panel \(chain.elasticity!)")
        // Plenty of data: each follows its own generator (tolerance as the single-group test, plus the pull).
        #expect(abs(bigFit + 2) < 0.2 && abs(ownFit + 1) < 0.2, "big \(bigFit), own \(ownFit)")
        // Two moving series: pulled most of the way from −4 to the panel.
        #expect(abs(tinyFit - chain.elasticity!) < abs(tinyFit + 4), "tiny \(tinyFit), panel \(chain.elasticity!)")
    }

    /// A department with nothing of its own to learn from (its moving series never sold) takes the
    /// whole panel's effects, and says so; with a single department there is no panel to fall back on.
    @Test func aDepartmentWithoutAFitOfItsOwnTakesTheChains() {
        let big = Self.department(seed: 1, count: 90)
        var panel = big.panel
        var prices = big.prices, promotions = big.promotions, varies = big.varies
        var groups = Array(repeating: "Big", count: 90)
        for i in 0..<3 {
            panel.append(id: "z\(i)", start: big.panel.starts[0], values: Array(repeating: 0, count: 420))
            prices.append(big.prices[i]); promotions.append(big.promotions[i]); varies.append(true); groups.append("Silent")
        }
        let e = DriverEffects.estimate(panel, groups: groups, days: 448, horizon: 28,
                                       prices: { prices[$0][...] }, promotions: { promotions[$0][...] }, varies: varies)
        let silent = e.groups.first { $0.group == "Silent" }!
        #expect(silent.usesChain && silent.failure != nil && silent.adjusted == 3)
        #expect(silent.elasticity == e.panel!.elasticity && silent.promotionUplift == e.panel!.promotionUplift)
        #expect(e.multipliers[90] != nil)
        let alone = DriverEffects.estimate(panel, groups: Array(repeating: "Silent", count: 93).enumerated().map { $0.offset < 90 ? "x" : $0.element },
                                           days: 448, horizon: 28, prices: { prices[$0][...] }, promotions: { promotions[$0][...] }, varies: varies.enumerated().map { $0.offset >= 90 })
        #expect(alone.panel == nil && alone.groups.count == 1 && alone.groups[0].adjusted == 0 && !alone.groups[0].usesChain)
        #expect(alone.multipliers.allSatisfy { $0 == nil })
    }

    /// A promotion that lowers demand at a given price is not believed: its effect is set to ×1
    /// and the price effect refitted alone (recorded as a constraint).
    @Test func aCoefficientOfTheWrongSignIsSetToNoEffect() {
        let (panel, prices, promotions, varies) = Self.department(seed: 5, count: 90, promotionLog: -0.5)
        let e = DriverEffects.estimate(panel, groups: Array(repeating: "D", count: 90), days: 448, horizon: 28,
                                       prices: { prices[$0][...] }, promotions: { promotions[$0][...] }, varies: varies)
        let g = e.groups[0]
        #expect(g.promotionUplift == 1 && g.constrained?.contains("promotion effect") == true, "\(g)")
        #expect(g.elasticity! < 0 && g.adjusted == 60)
    }

    @Test func forecastsCarryTheHorizonsPricesAndPromotions() {
        // One series: level 4 at the regular price, a promotion (price 8) on horizon days 10…14.
        var rng = SeededRandom(seed: 11)
        let n = 364, h = 28
        var m = [Double](repeating: 1, count: n + h)
        for d in stride(from: 20, to: n, by: 60) { for k in d..<(d + 5) { m[k] = 2.5 } }
        for k in (n + 10)..<(n + 15) { m[k] = 2.5 }
        let y = (0..<n).map { Double(rng.poisson(4 * m[$0])) }
        let auto = AutoForecaster(.init(horizon: h, seasonLength: 7, windows: 2, combine: 1,
                                        candidates: [.smooth: ["HistoricAverage"], .intermittent: ["HistoricAverage"]]))
        let plain = auto.forecast(y, levels: [0.5, 0.9])
        let adjusted = auto.forecast(y, levels: [0.5, 0.9], effects: m)
        #expect(adjusted.model == "HistoricAverage+drivers" && plain.model == "HistoricAverage")
        // The baseline is about 4 (not inflated by the history's promotions) and the promotion days 2.5 × it.
        let base = adjusted.mean[0]
        #expect(abs(base - 4) < 0.35, "baseline \(base)")
        #expect(plain.mean[0] > base + 0.3, "the plain average carries past promotions: \(plain.mean[0])")
        for t in 10..<15 { #expect(abs(adjusted.mean[t] - 2.5 * base) < 1e-9) }
        for k in 0..<2 { #expect(abs(adjusted.modelQuantiles[k][12] - 2.5 * adjusted.modelQuantiles[k][0]) < 1e-9) }
        // Multipliers of 1 change nothing.
        let ones = auto.forecast(y, levels: [0.5, 0.9], effects: Array(repeating: 1, count: n + h))
        #expect(ones.mean == plain.mean && ones.scaledErrors == plain.scaledErrors)
    }

    @Test func engineAlignsEffectsWithTheDaysItSees() async {
        // Effects for the last 300 history days and the horizon only, on 420-day series, with the
        // models seeing the last 350 days: the first 50 of those have no effect (1).
        let (panel0, prices, promotions, varies) = Self.department()
        var panel = panel0
        let e = DriverEffects.estimate(panel, groups: Array(repeating: "Tops", count: 60), days: 448, horizon: 28,
                                       prices: { prices[$0][...] }, promotions: { promotions[$0][...] }, varies: varies)
        panel.effects = e.multipliers.map { $0.map { Array($0.suffix(328)) } }
        let request = ForecastEngine.Request(horizon: 28, levels: [0.5, 0.9], seasonLength: 7,
                                             candidates: [.smooth: ["HistoricAverage"], .intermittent: ["HistoricAverage"]],
                                             windows: 3, minimumPool: 10, maxHistory: 350)
        let out = await ForecastEngine.run(panel, request)
        #expect(out.series[0].model == "HistoricAverage+drivers" && out.series[59].model == "HistoricAverage")
        #expect(out.conformal[.smooth] == true || out.conformal[.intermittent] == true)
        // Reference: the historic average of y/m over days 70…419 (m = 1 before day 120), times the
        // horizon day's multiplier — exact, so a one-day shift anywhere would show.
        let m0 = e.multipliers[0]!, y = Array(panel.series(0))
        var sum = 0.0, n = 0
        for t in 70..<420 where y[t].isFinite { sum += y[t] / (t < 120 ? 1 : m0[t]); n += 1 }
        let base = sum / Double(n)
        for t in 0..<28 { #expect(abs(out.series[0].mean[t] - base * m0[420 + t]) < 1e-9 * max(1, base)) }
        #expect(out.series[0].effects! == Array(m0[420...]))
        // The lead-time spread is the baseline's scaled by the mean multiplier over the lead time.
        let f = out.series[0]
        let pool = out.pooledCumulativeErrors[f.demandClass]![6]
        #expect(pool.count >= 30)
        let lead = out.leadTimeDemand(series: 0, leadTime: 7, levels: [0.9])
        let meanEffect = m0[420..<427].reduce(0, +) / 7
        #expect(abs(lead.mean - f.mean.prefix(7).reduce(0, +)) < 1e-9)
        #expect(abs(lead.quantiles[0] - max(0, lead.mean + f.scale * meanEffect * ForecastEngine.empiricalQuantile(pool, 0.9))) < 1e-9)
        let plain = await ForecastEngine.run(panel0, request)
        #expect(plain.series[0].effects == nil)
    }

    /// With effects the backtest errors and their scale are the baseline's: for the historic
    /// average, (y/m − mean of the training y/m) / RMS one-step change of y/m, checked by hand.
    @Test func backtestErrorsAreTheBaselines() {
        var rng = SeededRandom(seed: 3)
        let n = 200, h = 14
        let m = (0..<(n + h)).map { $0 % 17 < 3 ? 2.0 : 1.0 }
        let y = (0..<n).map { Double(rng.poisson(3 * m[$0])) }
        let auto = AutoForecaster(.init(horizon: h, seasonLength: 7, windows: 2, combine: 1,
                                        candidates: [.smooth: ["HistoricAverage"], .intermittent: ["HistoricAverage"]]))
        let r = auto.forecast(y, levels: [0.5], effects: m)
        let b = y.indices.map { y[$0] / m[$0] }
        var ss = 0.0
        for t in 1..<n { ss += (b[t] - b[t - 1]) * (b[t] - b[t - 1]) }
        let scale = (ss / Double(n - 1)).squareRoot()
        #expect(abs(r.scale - scale) < 1e-12)
        #expect(r.horizonEffects! == Array(m[n...]))
        for w in 0..<2 {
            let origin = n - (2 - w) * h
            let f = b[0..<origin].reduce(0, +) / Double(origin)
            for t in 0..<h { #expect(abs(r.scaledErrors[w * h + t] - (b[origin + t] - f) / scale) < 1e-9) }
        }
    }
}
