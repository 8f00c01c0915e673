import Foundation
import KeelCore
import KeelNumerics
import Testing

@testable import KeelForecast

/// The production AutoETS on a long, strongly seasonal monthly series (m = 12, 429 months, as
/// aus_retail's): its seasonal fits must run long enough to win on AICc. With a flat cap of 500
/// Nelder–Mead iterations they stopped far from their optimum and a non-seasonal model was chosen.
@Suite struct ETSIterationCapTests {
    /// Four aus_retail series (ABS retail turnover, `../shared/datasets/aus_retail.csv`), their
    /// first 429 months: the bench's training part. statsforecast's AutoETS picks ETS(M,N,M),
    /// ETS(M,N,M), ETS(M,Ad,A) and ETS(M,Ad,M) on them.
    static func fixture() throws -> [(String, [Double])] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/aus_retail_seasonal.csv").path
        var out: [(String, [Double])] = []
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            if out.last?.0 != String(f[0]) { out.append((String(f[0]), [])) }
            out[out.count - 1].1.append(Double(f[2])!)
        }
        return out
    }

    @Test func productionAutoETSKeepsTheSeason() throws {
        let series = try Self.fixture()
        #expect(series.count == 4 && series.allSatisfy { $0.1.count == 429 })
        var flatCapLostTheSeason = 0
        for (id, y) in series {
            let production = try AutoETS(optimizer: ModelCatalog.productionETSOptimizer, screensSeason: true).fitAuto(y, seasonLength: 12)
            #expect(production.spec.season != .none, "\(id): \(production.spec)")
            let flat = NelderMead(tolerance: 1e-4, relativeTolerance: 1e-7, maxIterations: 500)
            let old = try AutoETS(optimizer: flat, screensSeason: true).fitAuto(y, seasonLength: 12)
            if old.spec.season == .none { flatCapLostTheSeason += 1 }
            #expect(production.aicc < old.aicc, "\(id): the longer search ends with a better criterion")
        }
        // The defect this guards against: the flat cap chose ETS(M,A,N) on all four.
        #expect(flatCapLostTheSeason == 4)
    }

    @Test func theCapGrowsWithTheParameterCount() {
        // Minimising a 20-dimensional quadratic needs more than 500 iterations from this start.
        let n = 20
        let start = [Double](repeating: 3, count: n)
        let f: (UnsafeBufferPointer<Double>) -> Double = { x in x.enumerated().reduce(0) { $0 + Double($1.offset + 1) * $1.element * $1.element } }
        let flat = NelderMead(tolerance: 1e-10, maxIterations: 500)
        let scaled = NelderMead(tolerance: 1e-10, maxIterations: 500, iterationsPerParameter: 200)
        let lower = [Double](repeating: -10, count: n), upper = [Double](repeating: 10, count: n)
        let a = flat.minimize(start: start, lower: lower, upper: upper, f)
        let b = scaled.minimize(start: start, lower: lower, upper: upper, f)
        #expect(a.iterations == 500 && !a.converged)
        #expect(b.iterations > 500 && b.iterations <= 4000)
        #expect(b.value < a.value)
    }
}
