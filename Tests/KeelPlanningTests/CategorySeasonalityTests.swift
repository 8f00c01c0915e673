import KeelCore
@testable import KeelEngine
@testable import KeelForecast
@testable import KeelStore
import Testing

@Suite struct CategorySeasonalityTests {
    /// 400 days from day 0; as-of = day 399. Item 1 (category C) sells 1 a day in two series,
    /// except 3 a day on days 36…42 of the first. Last year's base: days 8…35 (the 28 days ending
    /// 399 − 364 = 35), level 2 a day for the category. Step t centres on day 35 + t, ± 3 days:
    /// t = 1 → days 33…39: (3·2 + 4·4)/7 = 22/7, index 22/14 = 1.571429; t = 4 → days 36…42, all 4
    /// → index 2; t = 10 → days 42…48: (4 + 6·2)/7 = 16/7 → 8/7. Item 2 (category D) is too young.
    func panel() -> DemandPanel {
        var p = DemandPanel()
        p.endDay = Day(rawValue: 399)
        func add(_ item: Int64, start: Int32, _ values: [Float]) {
            p.keys.append(.init(seriesId: Int64(p.keys.count + 1), channel: .store, locationKey: 1 + Int64(p.keys.count), itemKey: item))
            p.starts.append(Day(rawValue: start))
            p.units.append(contentsOf: values); p.price.append(contentsOf: values.map { _ in 1 }); p.flags.append(contentsOf: values.map { _ in 0 })
            p.offsets.append(p.units.count)
        }
        add(1, start: 0, (0..<400).map { (36...42).contains($0) ? 3 : 1 })
        add(1, start: 0, [Float](repeating: 1, count: 400))
        add(2, start: 300, [Float](repeating: 5, count: 100))
        return p
    }

    @Test func indicesByHand() {
        let p = panel()
        // Category D's first sale is day 300, but the panel spans from day 0 — its base days 8…35 sum to 0: no index.
        let idx = CategorySeasonality.indices(p, categoryOf: [1: "C", 2: "D"], asOf: Day(rawValue: 399), horizon: 12)
        #expect(idx[2] == nil)
        let c = try! #require(idx[1])
        #expect(abs(c[0] - 22.0 / 14) < 1e-12)
        #expect(abs(c[3] - 2) < 1e-12)
        #expect(abs(c[9] - 8.0 / 7) < 1e-12)
        // Too little history (fewer than 364 + 28 days): nothing.
        #expect(CategorySeasonality.indices(p, categoryOf: [1: "C"], asOf: Day(rawValue: 380), horizon: 5).isEmpty)
    }

    /// Last year's promotion (the first series' 3 a day on days 36…42, multiplier 3 there) counts
    /// as its baseline: the category is flat, so the index is 1 — not put back on top of this
    /// year's own multipliers. Effects covering only the last 380 days reach those days too.
    @Test func demandUnderDriverEffectsCountsAsItsBaseline() {
        let p = panel()
        for covered in [400, 380] {
            var m = [Double](repeating: 1, count: covered + 12)
            for d in 36...42 { m[d - (400 - covered)] = 3 }
            let idx = CategorySeasonality.indices(p, categoryOf: [1: "C", 2: "D"], asOf: Day(rawValue: 399), horizon: 12,
                                                  effects: [m, nil, nil], effectsHorizon: 12)
            let c = try! #require(idx[1])
            for t in 0..<12 { #expect(abs(c[t] - 1) < 1e-12, "covered \(covered), step \(t + 1): \(c[t])") }
        }
    }

    @Test func applyScalesNonSeasonalModelsOnly() {
        let p = panel()
        let idx = CategorySeasonality.indices(p, categoryOf: [1: "C", 2: "D"], asOf: Day(rawValue: 399), horizon: 4)
        func series(_ model: String) -> ForecastEngine.SeriesForecast {
            .init(model: model, demandClass: .intermittent, mean: [1, 1, 1, 1], quantiles: [[2, 2, 2, 2], [2.5, 2.5, 2.5, 2.5]], scale: 1,
                  fallback: nil, failures: [])
        }
        var out = ForecastEngine.Output(levels: [0.5, 0.9], series: [series("CrostonSBA"), series("MSTL"), series("WindowAverage")],
                                        pooledErrors: [:], pooledCumulativeErrors: [:], conformal: [:])
        let adjusted = CategorySeasonality.apply(&out, keys: p.keys, indices: idx)
        // Series 0 and 1 are item 1; series 2 is item 2 (no index). The MSTL series keeps its own season.
        #expect(adjusted == 1)
        #expect(abs(out.series[0].mean[0] - 22.0 / 14) < 1e-12 && out.series[0].mean[3] == 2)
        #expect(out.series[0].quantiles[0][0] == 3)            // whole 2 × 1.5714 = 3.14 → 3
        #expect(abs(out.series[0].quantiles[1][0] - 2.5 * 22 / 14) < 1e-12)
        #expect(out.series[1].mean == [1, 1, 1, 1])
        #expect(out.series[2].mean == [1, 1, 1, 1])
    }
}
