import Foundation
import KeelCore
import Testing

@testable import KeelForecast

/// The fixed median combination of a model set's `"median"` classes.
@Suite struct MedianCombinationTests {
    @Test func medianPerPosition() {
        #expect(AutoForecaster.median([[1, 9], [5, 2], [3, 4]]) == [3, 4])  // odd: the middle value
        #expect(AutoForecaster.median([[1, 9], [5, 2], [3, 4], [10, -1]]) == [4, 3])  // even: mean of the middle two
        #expect(AutoForecaster.median([[7, 8]]) == [7, 8])
        #expect(AutoForecaster.median([]) == [])
    }

    /// A median class forecasts the per-step median of every candidate's own forecast (each fitted
    /// alone on the whole series); without it the engine chooses by backtest as before.
    @Test func aMedianClassForecastsTheMedianOfItsCandidates() throws {
        let y = AutoForecasterTests.seasonal(120, seed: 3)
        let names = ["AutoETS", "DynamicOptimizedTheta", "SeasonalNaive", "Naive"]
        let config = AutoForecaster.Configuration(
            horizon: 12, seasonLength: 7, windows: 2, candidates: [.smooth: names, .intermittent: ["CrostonSBA"]], medianClasses: [.smooth])
        let r = AutoForecaster(config).forecast(y, levels: [0.5, 0.9])
        #expect(r.demandClass == .smooth)
        #expect(r.model == "Median(" + names.sorted().joined(separator: ",") + ")", "\(r.model)")
        let each = try names.map { name in
            try #require(ModelCatalog.model(named: name, seasonLengths: [7])).fit(y, seasonLength: 7).forecast(horizon: 12).mean
        }
        for t in 0..<12 {
            let v = each.map { $0[t] }.sorted()
            #expect(abs(r.mean[t] - 0.5 * (v[1] + v[2])) <= 1e-9 * max(1, abs(v[1])), "step \(t)")
        }
        #expect(r.windows == 2 && r.scaledErrors.count == 24 && r.scaledErrors.allSatisfy(\.isFinite))
        // The same candidates without the median rule: a backtest choice, never a median.
        let chosen = AutoForecaster(.init(horizon: 12, seasonLength: 7, windows: 2, candidates: [.smooth: names])).forecast(y, levels: [0.5])
        #expect(!chosen.model.hasPrefix("Median("))
    }

    @Test func modelSetsFilesNameMedianClassesOfTheirFrequency() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keel-median-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.json").path
        try #"{"M": {"smooth": ["AutoETS", "SeasonalNaive"], "intermittent": ["CrostonSBA"], "median": ["smooth"]}}"#
            .write(toFile: good, atomically: true, encoding: .utf8)
        let sets = try ModelSets.load(path: good)
        #expect(ModelSets.medianClasses(sets, frequency: .monthly) == [.smooth])
        #expect(ModelSets.medianClasses(sets, frequency: .daily).isEmpty)
        #expect(ModelSets.candidates(sets, frequency: .monthly)[.smooth] == ["AutoETS", "SeasonalNaive"])
        for bad in [#"{"M": {"smooth": ["AutoETS"], "median": ["smoth"]}}"#, #"{"M": {"smooth": ["AutoETS"], "median": ["intermittent"]}}"#] {
            let path = dir.appendingPathComponent("bad.json").path
            try bad.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: ForecastError.self) { try ModelSets.load(path: path) }
        }
    }
}
