import Foundation
import KeelCore
import KeelForecast
import KeelTestSupport
import Testing

/// The log-link regression on a series' own drivers, checked against the model that generated
/// the data (the reference values are the generator's means, not the fit's), and the engine's
/// rule for series with drivers.
@Suite struct ExogenousLogLinkRegressionTests {
    static let firstDay = Int(Day("2022-01-03")!.rawValue)  // a Monday
    static let history = 1_095, horizon = 28
    /// Multipliers by day of week, Monday first.
    static let weekday = [1.0, 0.9, 0.95, 1.0, 1.2, 1.5, 1.3]

    /// Price, promotion and SNAP rows over history + horizon, and the generator's mean per day:
    /// 3 · (price / 5)^−1.5 · 1.4^promo · 1.1^snap · weekday. The horizon has a price (4.2)
    /// the history never had.
    static func generated() -> (rows: [Double], means: [Double]) {
        var rows: [Double] = [], means: [Double] = []
        var g = SeededRandom(seed: 11)
        var base = 5.0
        for t in 0..<(history + horizon) {
            if t % 120 == 119 { base = [4.5, 5.0, 5.5, 6.0][g.int(4)] }
            let promo: Double = t < history ? (t % 37 < 5 ? 1 : 0) : (t % 9 < 3 ? 1 : 0)
            let price = t < history ? (promo == 1 ? base * 0.8 : base) : (t < history + 14 ? 4.2 : 5.2)
            let snap: Double = (t % 30) < 10 ? 1 : 0
            rows += [price, promo, snap]
            let mean = 3 * pow(price / 5, -1.5) * pow(1.4, promo) * pow(1.1, snap) * weekday[t % 7]
            means.append(mean)
        }
        return (rows, means)
    }

    @Test func noiseFreeDemandIsForecastAsTheGeneratorsMeans() throws {
        let (rows, means) = Self.generated()
        let model = ExogenousLogLinkRegression(columns: ["price", "promo", "snap"], rows: rows, firstDay: Self.firstDay)
        let fitted = try model.fit(Array(means.prefix(Self.history)), seasonLength: 7)
        let f = fitted.forecast(horizon: Self.horizon).mean
        // Tolerance: the scale-free ridge (1e-4 of each diagonal) shrinks the coefficients by about
        // that fraction; 0.5 % covers it with room.
        for h in 0..<Self.horizon {
            let truth = means[Self.history + h]
            #expect(abs(f[h] - truth) <= 0.005 * truth, "step \(h + 1): \(f[h]) vs \(truth)")
        }
        for t in 0..<Self.history where fitted.fitted[t].isFinite {
            #expect(abs(fitted.fitted[t] - means[t]) <= 0.005 * means[t], "day \(t): \(fitted.fitted[t]) vs \(means[t])")
        }
        #expect(fitted.name == ExogenousLogLinkRegression.catalogName)
    }

    @Test func fittedOnTheFirstValuesItForecastsTheDaysAfterThem() throws {
        // A backtest window: the fit sees n values and forecasts days n..<n + 28 from their rows.
        let (rows, means) = Self.generated()
        let n = Self.history - 56
        let model = ExogenousLogLinkRegression(columns: ["price", "promo", "snap"], rows: rows, firstDay: Self.firstDay)
        let f = try model.fit(Array(means.prefix(n)), seasonLength: 7).forecast(horizon: 28).mean
        for h in 0..<28 { #expect(abs(f[h] - means[n + h]) <= 0.005 * means[n + h], "step \(h + 1)") }
    }

    @Test func columnsAreRecognisedByNameWhateverTheirCase() throws {
        let (rows, means) = Self.generated()
        let y = Array(means.prefix(Self.history))
        let a = try ExogenousLogLinkRegression(columns: ["price", "promo", "snap"], rows: rows, firstDay: Self.firstDay)
            .fit(y, seasonLength: 7).forecast(horizon: 28).mean
        let b = try ExogenousLogLinkRegression(columns: ["Sell_Price", "PROMOTION", "snap"], rows: rows, firstDay: Self.firstDay)
            .fit(y, seasonLength: 7).forecast(horizon: 28).mean
        #expect(a == b)
        // Without the name "price" the column enters as it is (linear in the log mean), which
        // cannot represent the −1.5 elasticity: the unseen future price is then forecast worse.
        let c = try ExogenousLogLinkRegression(columns: ["cost", "promo", "snap"], rows: rows, firstDay: Self.firstDay)
            .fit(y, seasonLength: 7).forecast(horizon: 28).mean
        let truth = Array(means.suffix(28))
        func worst(_ f: [Double]) -> Double { zip(f, truth).map { abs($0 - $1) / $1 }.max()! }
        #expect(worst(c) > 2 * worst(a))
    }

    @Test func countDataWithZerosConforms() throws {
        let (rows, means) = Self.generated()
        var g = SeededRandom(seed: 5)
        let y = means.prefix(Self.history).map { Double(g.poisson(0.4 * $0)) }
        #expect(y.filter { $0 == 0 }.count > 200)
        let model = ExogenousLogLinkRegression(columns: ["price", "promo", "snap"], rows: rows, firstDay: Self.firstDay)
        #expect(checkForecasterConformance(model, series: y, seasonLength: 7).isEmpty)
        // Poisson noise at about 12 units a day over 1,095 days (~13,000 units for 17
        // coefficients): every step within 10 % of the generator's mean.
        let dense = means.prefix(Self.history).map { Double(g.poisson(8 * $0)) }
        let f = try model.fit(dense, seasonLength: 7).forecast(horizon: 28).mean
        for h in 0..<28 {
            let truth = 8 * means[Self.history + h]
            #expect(abs(f[h] - truth) <= 0.10 * truth, "step \(h + 1): \(f[h]) vs \(truth)")
        }
    }

    @Test func unknownOrImpossibleFutureValuesAndDegenerateSeriesThrow() {
        let (rows, means) = Self.generated()
        let y = Array(means.prefix(Self.history))
        var missing = rows
        missing[(Self.history + 3) * 3 + 2] = .nan
        #expect(throws: ForecastError.self) {
            _ = try ExogenousLogLinkRegression(columns: ["price", "promo", "snap"], rows: missing, firstDay: Self.firstDay).fit(y, seasonLength: 7)
        }
        var free = rows
        free[(Self.history + 5) * 3] = 0
        #expect(throws: ForecastError.self) {
            _ = try ExogenousLogLinkRegression(columns: ["price", "promo", "snap"], rows: free, firstDay: Self.firstDay).fit(y, seasonLength: 7)
        }
        let model = ExogenousLogLinkRegression(columns: ["price", "promo", "snap"], rows: rows, firstDay: Self.firstDay)
        #expect(throws: ForecastError.self) { _ = try model.fit([Double](repeating: 0, count: Self.history), seasonLength: 7) }
        #expect(throws: ForecastError.self) { _ = try model.fit([1, 2, 3], seasonLength: 7) }
    }

    /// Three series with drivers and one that never sold.
    static func panel() -> SeriesPanel {
        let (rows, means) = generated()
        var panel = SeriesPanel(frequency: .daily)
        panel.exogenousNames = ["price", "promo", "snap"]
        var g = SeededRandom(seed: 8)
        for (i, scale) in [1.0, 0.5, 2.0, 0].enumerated() {
            let y = means.prefix(history).map { Double(g.poisson(scale * $0)) }
            panel.append(id: "s\(i)", start: firstDay, values: y, exogenous: Array(rows.prefix(history * 3)))
        }
        panel.futureHorizon = horizon
        for _ in 0..<4 { panel.future += rows.suffix(horizon * 3) }
        return panel
    }

    @Test func withDriverCandidatesSeriesWithDriversUseThemAndFallBackToTheirClass() async {
        let request = ForecastEngine.Request(
            horizon: 28, levels: [0.5, 0.9], seasonLength: 7, seasonLengths: [7, 365],
            candidates: ModelSets.candidates(ModelCatalog.defaultSets, frequency: .daily),
            driverCandidates: ModelSets.driverCandidates(ModelCatalog.defaultSets, frequency: .daily))
        #expect(request.driverCandidates == [ExogenousLogLinkRegression.catalogName])
        let out = await ForecastEngine.run(Self.panel(), request)
        for s in 0..<3 {
            #expect(out.series[s].model == ExogenousLogLinkRegression.catalogName, "\(out.series[s].model)")
            #expect(out.series[s].fallback == nil)
        }
        // The series that never sold: the log-link fit fails, its class's candidates forecast
        // zero, and the failure is on record.
        #expect(out.series[3].model != ExogenousLogLinkRegression.catalogName)
        #expect(out.series[3].fallback == nil)
        #expect(out.series[3].mean.allSatisfy { $0 == 0 })
        #expect(out.series[3].failures.contains { $0.contains(ExogenousLogLinkRegression.catalogName) }, "\(out.series[3].failures)")
    }

    @Test func aSetsFileNamesDriverCandidatesFromTheCatalogOnly() throws {
        let dir = TemporaryDirectory()
        let good = dir.write("good.json", #"{"D": {"smooth": ["AutoETS"], "intermittent": ["CrostonSBA"], "drivers": ["LogLinkRegressionX", "DynamicRegressionX"]}}"#)
        let sets = try ModelSets.load(path: good)
        #expect(ModelSets.driverCandidates(sets, frequency: .daily) == ["LogLinkRegressionX", "DynamicRegressionX"])
        #expect(ModelSets.driverCandidates(sets, frequency: .monthly) == nil)
        #expect(ModelSets.candidates(sets, frequency: .daily)[.smooth] == ["AutoETS"])
        let bad = dir.write("bad.json", #"{"D": {"smooth": ["AutoETS"], "drivers": ["Prophet"]}}"#)
        #expect(throws: ForecastError.self) { _ = try ModelSets.load(path: bad) }
    }
}
