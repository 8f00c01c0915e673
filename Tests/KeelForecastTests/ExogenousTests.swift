import Foundation
import KeelCore
import KeelForecast
import KeelTestSupport
import Testing

@Suite struct ExogenousTests {
    /// y = 10 + 5·promo + noise, with a known future promotion plan.
    static func files(_ dir: TemporaryDirectory) -> (train: String, future: String) {
        var g = SeededRandom(seed: 4)
        var train = "unique_id,ds,y,promo\n", future = "unique_id,ds,promo\n"
        let start = Day("2024-01-01")!
        for id in ["a", "b"] {
            for t in 0..<200 {
                let promo = (t % 9 == 0 || t % 13 == 0) ? 1.0 : 0.0
                train += "\(id),\(start.adding(t)),\(10 + 5 * promo + 0.3 * g.normal()),\(Int(promo))\n"
            }
            for t in 200..<207 { future += "\(id),\(start.adding(t)),\(t % 2)\n" }
        }
        return (dir.write("train.csv", train), dir.write("future.csv", future))
    }

    @Test func theRegressionUsesTheFutureValues() async throws {
        let dir = TemporaryDirectory()
        let (train, future) = Self.files(dir)
        var panel = try LongFormatReader.read(path: train)
        #expect(panel.exogenousNames == ["promo"])
        try LongFormatReader.readFuture(path: future, into: &panel, horizon: 7)
        let request = ForecastEngine.Request(horizon: 7, levels: [0.5], seasonLength: 7, models: [ExogenousRegression.catalogName], candidates: [:])
        let out = await ForecastEngine.run(panel, request)
        for s in 0..<2 {
            #expect(out.series[s].model == ExogenousRegression.catalogName)
            for t in 0..<7 {
                let expected = 10 + 5 * Double((200 + t) % 2)
                #expect(abs(out.series[s].mean[t] - expected) < 0.6, "step \(t): \(out.series[s].mean[t]) vs \(expected)")
            }
        }
        // In automatic mode the regressions (this one and the log-link one) compete with the
        // catalog's candidates, and one of them wins on this data.
        let auto = await ForecastEngine.run(panel, ForecastEngine.Request(horizon: 7, levels: [0.5], seasonLength: 7,
                                                                          candidates: ModelSets.candidates(ModelCatalog.defaultSets, frequency: .daily)))
        #expect(auto.series.allSatisfy { $0.model.contains(ExogenousRegression.catalogName) || $0.model.contains(ExogenousLogLinkRegression.catalogName) },
                "\(auto.series.map(\.model))")
    }

    @Test(arguments: [
        ("unique_id,ds,promo\na,2024-07-19,1\n", "future values missing"),
        ("unique_id,ds,promo\na,2024-08-30,1\n", "not in the forecast horizon of a"),
        ("unique_id,ds,promo\nzz,2024-07-19,1\n", "'zz' is not in the training file"),
        ("unique_id,ds,price\na,2024-07-19,1\n", "promo: required column missing"),
    ])
    func missingOrMisalignedFutureValuesAreErrors(text: String, expected: String) throws {
        let dir = TemporaryDirectory()
        let (train, _) = Self.files(dir)
        var panel = try LongFormatReader.read(path: train)
        let future = dir.write("bad.csv", text)
        do {
            try LongFormatReader.readFuture(path: future, into: &panel, horizon: 7)
            Issue.record("expected an error")
        } catch let f as LongFormatReader.Failure {
            #expect(f.description.contains(expected), "\(f.description)")
        }
    }
}
