import Foundation
import KeelCore
import KeelForecast
import KeelTestSupport
import Testing

@Suite struct LongFormatReaderTests {
    @Test func gapsAreMissingAndFrequencyIsInferred() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("train.csv", "unique_id,ds,y\nb,2024-01-03,5\na,2024-01-01,1\na,2024-01-02,2\na,2024-01-04,4\nb,2024-01-01,3\n")
        let panel = try LongFormatReader.read(path: path)
        #expect(panel.frequency == .daily)
        #expect(panel.ids == ["b", "a"])
        let a = Array(panel.series(1))
        #expect(a.count == 4 && a[0] == 1 && a[1] == 2 && a[2].isNaN && a[3] == 4)
        let b = Array(panel.series(0))
        #expect(b[0] == 3 && b[1].isNaN && b[2] == 5)
        #expect(panel.label(start: panel.starts[1], step: 4) == "2024-01-05")
    }

    @Test func monthlyDatesMapToMonths() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("m.csv", "unique_id,ds,y\nx,2023-11-01,1\nx,2023-12-01,2\nx,2024-02-01,4\n")
        let panel = try LongFormatReader.read(path: path)
        #expect(panel.frequency == .monthly)
        #expect(panel.series(0).count == 4)
        #expect(panel.label(start: panel.starts[0], step: 4) == "2024-03-01")
    }

    @Test(arguments: [
        ("unique_id,ds,y\na,2024-01-01,1\na,2024-01-01,2\n", "3: ds: duplicate (unique_id, ds)"),
        ("unique_id,ds,y\na,2024-01-01,abc\n", "2: y: not a number: 'abc'"),
        ("unique_id,ds,y\na,yesterday,1\n", "2: ds: not a date"),
        ("unique_id,ds\na,2024-01-01\n", "1: y: required column missing"),
        ("unique_id,ds,y\na,2024-01-01,1\na,2024-02-01,1\na,2024-02-15,1\n", "4: ds: 2024-02-15 is not the first day of a month"),
    ])
    func badInputIsAnErrorWithItsLine(text: String, expected: String) throws {
        let dir = TemporaryDirectory()
        let path = dir.write("t.csv", text)
        do {
            _ = try LongFormatReader.read(path: path, frequency: text.contains("02-15") ? .monthly : nil)
            Issue.record("expected an error")
        } catch let f as LongFormatReader.Failure {
            #expect(f.description.contains("t.csv:\(expected)"), "\(f.description)")
        }
    }
}

@Suite struct AutoForecasterTests {
    static func seasonal(_ n: Int, seed: UInt64) -> [Double] {
        var g = SeededRandom(seed: seed)
        return (0..<n).map { t in 50 + 20 * [1.0, -0.5, 0.2, -1, 0.6, 1.4, -1.7][t % 7] + g.normal() }
    }

    @Test func cross_validationPrefersTheSeasonalModelAndIsDeterministic() {
        let y = Self.seasonal(200, seed: 3)
        let auto = AutoForecaster(.init(horizon: 14, seasonLength: 7, windows: 2, combine: 1,
                                        candidates: [.smooth: ["Naive", "SeasonalNaive", "HistoricAverage"], .intermittent: []]))
        let a = auto.forecast(y, levels: [0.5, 0.9])
        #expect(a.model == "SeasonalNaive")
        #expect(a.windows == 2 && a.scaledErrors.count == 28)
        let b = auto.forecast(y, levels: [0.5, 0.9])
        #expect(a.mean == b.mean && a.model == b.model)
    }

    @Test func failedFitsFallBackAndAreRecorded() {
        // Every candidate needs more data than three points give.
        let auto = AutoForecaster(.init(horizon: 3, seasonLength: 1, windows: 1,
                                        candidates: [.smooth: ["DynamicOptimizedTheta"], .intermittent: ["DynamicOptimizedTheta"]]))
        let r = auto.forecast([4, 5, 6], levels: [0.5])
        #expect(r.fallback != nil)
        #expect(!r.failures.isEmpty)
        #expect(r.mean.allSatisfy { $0.isFinite })
    }
}

@Suite struct ForecastEngineTests {
    /// 400 Poisson(3) series: conformal quantiles must cover fresh draws at their levels.
    @Test func conformalQuantilesAreCalibratedNonNegativeIntegersAndOrdered() async {
        var panel = SeriesPanel(frequency: .daily)
        var future: [[Double]] = []
        for s in 0..<400 {
            var g = SeededRandom(seed: 99, stream: UInt64(s))
            panel.append(id: "s\(s)", start: 0, values: (0..<120).map { _ in Double(g.poisson(3)) })
            future.append((0..<14).map { _ in Double(g.poisson(3)) })
        }
        let levels = [0.5, 0.8, 0.95]
        let request = ForecastEngine.Request(horizon: 14, levels: levels, seasonLength: 7, models: ["HistoricAverage"],
                                             candidates: [:], windows: 3, minimumPool: 200)
        let out = await ForecastEngine.run(panel, request)
        #expect(out.conformal[.smooth] == true)
        for (k, level) in levels.enumerated() {
            var hits = 0, n = 0
            for s in 0..<400 {
                for t in 0..<14 {
                    let q = out.series[s].quantiles[k][t]
                    #expect(q >= 0 && q == q.rounded())
                    if k > 0 { #expect(q >= out.series[s].quantiles[k - 1][t]) }
                    if future[s][t] <= q { hits += 1 }
                    n += 1
                }
            }
            // Poisson(3) is discrete: P(Y ≤ q) jumps, so the empirical coverage lands on one of its
            // steps at or just above the level. The tolerance covers that step and sampling noise.
            let coverage = Double(hits) / Double(n)
            #expect(coverage >= level - 0.03 && coverage <= level + 0.12, "level \(level): coverage \(coverage)")
        }
    }

    @Test func leadTimeDemandIsTheDistributionOfTheSum() async {
        var panel = SeriesPanel(frequency: .daily)
        for s in 0..<300 {
            var g = SeededRandom(seed: 5, stream: UInt64(s))
            panel.append(id: "s\(s)", start: 0, values: (0..<150).map { _ in Double(g.poisson(2)) })
        }
        let request = ForecastEngine.Request(horizon: 14, levels: [0.9], seasonLength: 7, models: ["HistoricAverage"],
                                             candidates: [:], windows: 3)
        let out = await ForecastEngine.run(panel, request)
        let ltd = out.leadTimeDemand(series: 0, leadTime: 7, levels: [0.5, 0.9])
        // Sum of 7 Poisson(2) days is Poisson(14): median 14, 0.9 quantile 19 (scipy.stats.poisson.ppf).
        #expect(abs(ltd.mean - 14) < 1.5)
        #expect(abs(ltd.quantiles[1] - 19) <= 2.5)
        // Far less than the sum of the daily 0.9 quantiles (7 × 4 = 28), which ignores that highs and lows cancel.
        let sumOfQuantiles = out.series[0].quantiles[0].prefix(7).reduce(0, +)
        #expect(ltd.quantiles[1] < sumOfQuantiles - 3)
    }

    @Test func neverNaNOrNegativeOnAwkwardSeries() async {
        var panel = SeriesPanel(frequency: .daily)
        panel.append(id: "zeros", start: 0, values: Array(repeating: 0, count: 60))
        panel.append(id: "constant", start: 0, values: Array(repeating: 4, count: 60))
        panel.append(id: "short", start: 0, values: [1, 0])
        panel.append(id: "holes", start: 0, values: (0..<90).map { $0 % 5 == 0 ? .nan : Double($0 % 3) })
        panel.append(id: "spike", start: 0, values: (0..<90).map { $0 == 40 ? 1e6 : 1 })
        let request = ForecastEngine.Request(horizon: 10, levels: [0.1, 0.5, 0.99], seasonLength: 7,
                                             candidates: ModelSets.candidates(ModelCatalog.defaultSets, frequency: .daily))
        let out = await ForecastEngine.run(panel, request)
        for f in out.series {
            #expect(f.mean.allSatisfy { $0.isFinite && $0 >= 0 }, "\(f.model)")
            #expect(f.quantiles.allSatisfy { $0.allSatisfy { $0.isFinite && $0 >= 0 } }, "\(f.model)")
        }
        #expect(out.series[0].mean.allSatisfy { $0 == 0 })
    }

    @Test func theModelSetsFileEqualsTheBuiltInDefaults() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Models/default-model-sets.json").path
        let sets = try ModelSets.load(path: path)
        #expect(sets == ModelCatalog.defaultSets)
    }
}

@Suite struct StructureReusingTests {
    @Test func autoETSReusesItsChosenStructure() throws {
        let y = AutoForecasterTests.seasonal(120, seed: 8)
        let auto = AutoETS()
        let fitted = try auto.fit(y, seasonLength: 7)
        let reused = auto.reusing(fitted)
        let ets = try #require(fitted as? FittedETS)
        #expect(reused.name == ets.spec.description)
        // Refitting the reused structure on the same data gives the same model.
        let again = try #require(try reused.fit(y, seasonLength: 7) as? FittedETS)
        #expect(again.spec == ets.spec)
        #expect(isClose(again.forecast(horizon: 7).mean[0], fitted.forecast(horizon: 7).mean[0], relative: 1e-6))
    }

    /// A backtest window is the full fit filtered over a prefix: its one-step forecast after the
    /// prefix is the full fit's one-step fitted value at that time, for every cut.
    @Test func reusedETSOnAPrefixForecastsTheFullFitsOneStepValue() throws {
        let y = AutoForecasterTests.seasonal(120, seed: 8)
        let auto = AutoETS()
        let fitted = try #require(try auto.fit(y, seasonLength: 7) as? FittedETS)
        let reused = auto.reusing(fitted)
        for cut in [50, 92, 113] {
            let window = try reused.fit(Array(y[0..<cut]), seasonLength: 7)
            #expect(isClose(window.forecast(horizon: 1).mean[0], fitted.fitted[cut], relative: 1e-12))
        }
    }
}

@Suite struct ShortSeasonTests {
    /// A monthly series shorter than one season (8 points, season 12): seasonal candidates cannot
    /// fit, so the engine uses what can (non-seasonal ETS, Theta, …) — documented behaviour, never
    /// an error and never NaN.
    @Test func aSeriesShorterThanItsSeasonStillGetsAFiniteForecast() async {
        var panel = SeriesPanel(frequency: .monthly)
        panel.append(id: "short", start: 2024 * 12, values: [12, 15, 11, 18, 16, 14, 19, 17])
        let request = ForecastEngine.Request(horizon: 12, levels: [0.1, 0.9], seasonLength: 12,
                                             candidates: ModelSets.candidates(ModelCatalog.defaultSets, frequency: .monthly))
        let out = await ForecastEngine.run(panel, request)
        let f = out.series[0]
        #expect(f.mean.count == 12 && f.mean.allSatisfy { $0.isFinite && $0 > 0 })
        #expect(f.quantiles[0].indices.allSatisfy { f.quantiles[0][$0] <= f.quantiles[1][$0] })
        #expect(f.model != "SeasonalNaive")
    }
}

@Suite struct MaxHistoryTests {
    @Test func modelsSeeOnlyTheLatestPeriods() async {
        var panel = SeriesPanel(frequency: .daily)
        panel.append(id: "shift", start: 0, values: Array(repeating: 1000, count: 100) + Array(repeating: 10, count: 30))
        let all = await ForecastEngine.run(panel, .init(horizon: 3, levels: [0.5], seasonLength: 1, models: ["HistoricAverage"], candidates: [:]))
        let capped = await ForecastEngine.run(panel, .init(horizon: 3, levels: [0.5], seasonLength: 1, models: ["HistoricAverage"], candidates: [:],
                                                           maxHistory: 30))
        // Mean of all 130 values is (100·1000 + 30·10)/130 ≈ 771.5; of the last 30, exactly 10.
        #expect(abs(all.series[0].mean[0] - 100_300.0 / 130.0) < 1e-9)
        #expect(capped.series[0].mean[0] == 10)
    }
}

@Suite struct LeadTimeFallbackTests {
    /// Three series give too few backtests to pool (< 30), so the lead-time distribution comes from
    /// the forecast's own quantiles — asked at other levels than the forecast's.
    @Test func fewBacktestsUseTheForecastsOwnSpread() async {
        var panel = SeriesPanel(frequency: .daily)
        for s in 0..<3 {
            var g = SeededRandom(seed: 21, stream: UInt64(s))
            panel.append(id: "s\(s)", start: 0, values: (0..<120).map { _ in Double(g.poisson(5)) })
        }
        let out = await ForecastEngine.run(panel, .init(horizon: 14, levels: [0.01, 0.5, 0.99], seasonLength: 7,
                                                         models: ["HistoricAverage"], candidates: [:], windows: 1))
        #expect(out.pooledCumulativeErrors[.smooth]![6].count < 30)
        let ltd = out.leadTimeDemand(series: 0, leadTime: 7, levels: [0.1, 0.9])
        // Sum of 7 Poisson(5) days is Poisson(35): 0.1 and 0.9 quantiles 27 and 43 (scipy.stats.poisson.ppf).
        #expect(abs(ltd.mean - 35) < 3)
        #expect(abs(ltd.quantiles[0] - 27) <= 3.5, "\(ltd.quantiles)")
        #expect(abs(ltd.quantiles[1] - 43) <= 3.5, "\(ltd.quantiles)")
    }
}
