import KeelCore
import KeelForecast
import KeelNumerics
import KeelTestSupport
import Testing

@Suite struct ETSTests {
    /// A monthly-like seasonal positive series with trend, deterministic.
    static func seasonalSeries(_ n: Int = 96, m: Int = 12) -> [Double] {
        (0..<n).map { t in
            let s = 1 + 0.3 * Double((t % m) - m / 2) / Double(m)
            return (100 + 0.8 * Double(t)) * s + Double((t * 37) % 11) - 5
        }
    }

    @Test func specCodes() {
        #expect(ETSSpec("AAdA")?.description == "ETS(A,Ad,A)")
        #expect(ETSSpec("MNM")?.code == "MNM")
        #expect(ETSSpec("MMN") == nil)
        #expect(ETSSpec("ANdN") == nil)
        #expect(ETSSpec("AAdA")?.damped == true)
    }

    /// SES (ANN) with α = 0.5 fixed on y = (3, 5, 4, 6, 5). Only ℓ₀ is estimated; εₜ is linear in
    /// ℓ₀: εₜ = aₜ − cₜℓ₀ with cₜ = 0.5^(t−1), so ℓ₀ = Σaₜcₜ / Σcₜ². By hand:
    /// ℓₜ₋₁ = cₜℓ₀ + dₜ with d = (0, 1.5, 3.25, 3.625, 4.8125), so a = y − d =
    /// (3, 3.5, 0.75, 2.375, 0.1875), c = (1, .5, .25, .125, .0625),
    /// Σac = 3 + 1.75 + 0.1875 + 0.296875 + 0.01171875 = 5.24609375, Σc² = 1.33203125,
    /// ℓ₀ = 3.938416…; the fitted values follow from ℓₜ = ℓₜ₋₁ + 0.5(yₜ − ℓₜ₋₁).
    /// Tolerance 1e-3 (Nelder–Mead with tolerance 1e-10).
    @Test func sesHandComputation() throws {
        let y: [Double] = [3, 5, 4, 6, 5]
        let l0 = 5.24609375 / 1.33203125
        var l = l0
        var fitted: [Double] = []
        for v in y { fitted.append(l); l += 0.5 * (v - l) }
        let model = ETSModel(ETSSpec("ANN")!, alpha: 0.5, optimizer: NelderMead(tolerance: 1e-10, maxIterations: 5000))
        let fit = try #require(try model.fit(y, seasonLength: 1) as? FittedETS)
        #expect(abs(fit.initialLevel - l0) < 1e-3, "ℓ₀ \(fit.initialLevel) vs \(l0)")
        #expect(abs(fit.finalLevel - l) < 1e-3)
        for (a, b) in zip(fit.fitted, fitted) { #expect(abs(a - b) < 1e-3) }
        let f = fit.forecast(horizon: 3)
        #expect(f.mean.allSatisfy { abs($0 - l) < 1e-3 })
        // σ² = SSE/(n − k − 1) with k = 3 (α, ℓ₀, σ²): 5 − 3 − 1 = 1.
        let sse = zip(y, fitted).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        #expect(abs(fit.sigma2 - sse) < 1e-3)
    }

    /// ANN variance: σ²(1 + (h − 1)α²) exactly (relative 1e-12).
    @Test func annVarianceFormula() throws {
        let y = (0..<60).map { 10 + Double(($0 * 7) % 5) }
        let fit = try #require(try ETSModel(ETSSpec("ANN")!).fit(y, seasonLength: 1) as? FittedETS)
        let v = try #require(fit.forecast(horizon: 10).variance)
        let a = fit.parameters.alpha
        for h in 1...10 {
            let expected = fit.sigma2 * (1 + Double(h - 1) * a * a)
            #expect(isClose(v[h - 1], expected, relative: 1e-12))
        }
    }

    /// MNN at h = 1 and 2 (class 2): v₁ = σ²μ², v₂ = μ²[(1+σ²)(1+α²σ²) − 1]; relative 1e-12.
    @Test func mnnVarianceFormula() throws {
        let y = (0..<60).map { 10 + Double(($0 * 7) % 5) }
        let fit = try #require(try ETSModel(ETSSpec("MNN")!).fit(y, seasonLength: 1) as? FittedETS)
        let f = fit.forecast(horizon: 2)
        let v = try #require(f.variance)
        let mu = f.mean[0], s = fit.sigma2, a = fit.parameters.alpha
        #expect(isClose(v[0], s * mu * mu, relative: 1e-12))
        #expect(isClose(v[1], mu * mu * ((1 + s) * (1 + a * a * s) - 1), relative: 1e-12))
    }

    /// Simulated variance for a multiplicative season is close to the class-2 variance of the
    /// matching additive-season model at h = 1 (both σ²μ₁²): within 10% (Monte-Carlo, 5,000 paths).
    @Test func simulatedVarianceFirstStep() throws {
        let fit = try #require(try ETSModel(ETSSpec("MNM")!).fit(Self.seasonalSeries(), seasonLength: 12) as? FittedETS)
        let f = fit.forecast(horizon: 13)
        let v = try #require(f.variance)
        #expect(abs(v[0] / (fit.sigma2 * f.mean[0] * f.mean[0]) - 1) < 0.1)
        #expect(v.allSatisfy { $0.isFinite && $0 > 0 })
    }

    @Test(arguments: ["ANN", "AAN", "AAdN", "MNN", "MAdN", "ANA", "AAdA", "MAM", "MAdM", "MNA"])
    func conformanceFixedSpec(_ code: String) {
        let model = ETSModel(ETSSpec(code)!)
        let m = code.hasSuffix("N") ? 1 : 12
        let failures = checkForecasterConformance(model, series: Self.seasonalSeries(), seasonLength: m)
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test(arguments: [1, 7, 12])
    func conformanceAutoETS(_ m: Int) {
        let failures = checkForecasterConformance(AutoETS(), series: Self.seasonalSeries(120, m: max(m, 2)), seasonLength: m)
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Missing values: the fit runs, the fitted values stay defined and the likelihood uses only
    /// observed points (observedCount), forecasts are close to the complete-data fit (within 10%).
    @Test func missingValues() throws {
        let y = Self.seasonalSeries()
        var holes = y
        for i in [5, 17, 18, 40, 77] { holes[i] = .nan }
        let full = try AutoETS().fitAuto(y, seasonLength: 12)
        let gappy = try AutoETS().fitAuto(holes, seasonLength: 12)
        #expect(gappy.observedCount == y.count - 5)
        #expect(gappy.residuals[5].isNaN && gappy.fitted[5].isFinite)
        let a = full.forecast(horizon: 12).mean, b = gappy.forecast(horizon: 12).mean
        for (x, z) in zip(a, b) { #expect(abs(x - z) / x < 0.1) }
        // Leading missing values are allowed too.
        var lead = y
        lead[0] = .nan; lead[1] = .nan
        let leadMean = try AutoETS().fitAuto(lead, seasonLength: 12).forecast(horizon: 3).mean
        #expect(leadMean.allSatisfy { $0.isFinite })
    }

    /// A constant series: AutoETS gives ETS(A,N,N) forecasting the constant with zero variance;
    /// fixed specs either fit with finite forecasts or throw a ForecastError (never crash).
    @Test func constantSeries() throws {
        let y = [Double](repeating: 7, count: 40)
        let fit = try AutoETS().fitAuto(y, seasonLength: 12)
        #expect(fit.model == "ETS(A,N,N)")
        let f = fit.predict(horizon: 5, levels: [0.1, 0.9])
        #expect(f.mean.allSatisfy { abs($0 - 7) < 1e-6 })
        #expect(f.quantiles.allSatisfy { $0.allSatisfy { $0.isFinite } })
        for code in ["AAN", "MAM", "AAdA"] {
            do {
                let g = try ETSModel(ETSSpec(code)!).fit(y, seasonLength: 12)
                #expect(g.forecast(horizon: 5).mean.allSatisfy { $0.isFinite }, "\(code)")
            } catch {
                // A ForecastError is an acceptable outcome.
            }
        }
    }

    @Test func tooShortThrows() {
        #expect(throws: ForecastError.self) { try AutoETS().fit([1, 2, 3], seasonLength: 1) }
        do {
            _ = try AutoETS().fit([1, 2], seasonLength: 1)
            Issue.record("expected tooShort")
        } catch {
            guard case .tooShort = error else { Issue.record("got \(error)"); return }
        }
        do {
            _ = try ETSModel(ETSSpec("AAA")!).fit(Array(Self.seasonalSeries().prefix(14)), seasonLength: 12)
            Issue.record("expected tooShort")
        } catch {
            guard case .tooShort = error else { Issue.record("got \(error)"); return }
        }
    }

    @Test func multiplicativeNeedsPositiveData() {
        var y = Self.seasonalSeries()
        y[3] = -1
        #expect(throws: ForecastError.self) { try ETSModel(ETSSpec("MNN")!).fit(y, seasonLength: 1) }
        #expect(AutoETS.candidates(y, seasonLength: 12).allSatisfy { $0.error == .additive && $0.season != .multiplicative })
        #expect(AutoETS.candidates(y, seasonLength: 1).allSatisfy { $0.season == .none })
        #expect(AutoETS.candidates(Self.seasonalSeries(), seasonLength: 12).count == 15)
    }

    /// Schur–Cohn test on known polynomials.
    @Test func admissibleRegion() throws {
        // Typical estimates are admissible; γ > 1 − α is not.
        let ok = ETSModel(ETSSpec("AAA")!, alpha: 0.3, beta: 0.05, gamma: 0.2)
        #expect((try? ok.fit(Self.seasonalSeries(), seasonLength: 12)) != nil)
        let bad = ETSModel(ETSSpec("AAA")!, alpha: 0.9, beta: 0.05, gamma: 0.5)
        #expect(throws: ForecastError.self) { try bad.fit(Self.seasonalSeries(), seasonLength: 12) }
    }
}

/// Fit time of AutoETS on one M5-sized daily series (1,941 points, weekly season). Prints the
/// time per fit; asserts a loose bound (60 s debug, 500 ms release). The release figure
/// is what counts: `swift build -c release --build-tests && swift test -c release --skip-build
/// --filter ETSPerformance`.
@Suite struct ETSPerformanceTests {
    @Test func autoETSDailySeries() throws {
        var rng = SeededRandom(seed: 7)
        let y = (0..<1941).map { t -> Double in
            let week = [0.8, 0.9, 1.0, 1.0, 1.1, 1.4, 1.3][t % 7]
            return max(0.5, (20 + 0.004 * Double(t)) * week + 2 * rng.normal())
        }
        let clock = ContinuousClock()
        var fit: FittedETS?
        let runs = 3
        let elapsed = try clock.measure {
            for _ in 0..<runs { fit = try AutoETS().fitAuto(y, seasonLength: 7) }
        }
        let perFit = elapsed / runs
        print("AutoETS on 1,941 daily points (m = 7): \(perFit) per fit, selected \(fit?.model ?? "-")")
        #if DEBUG
        #expect(perFit < .seconds(60))
        #else
        #expect(perFit < .milliseconds(500))
        #endif
    }
}
