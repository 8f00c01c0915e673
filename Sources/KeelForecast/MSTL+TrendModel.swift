import Foundation

/// MSTL's forecaster of the deseasonalised series (trend + remainder): the better by AICc of
/// ETS(A,N,N) (simple exponential smoothing) and ETS(A,Ad,N) (additive damped trend).
///
/// State equations (error-correction form, Hyndman et al. 2008): `ŷₜ = ℓₜ₋₁ + φ·bₜ₋₁`,
/// `eₜ = yₜ − ŷₜ`, `ℓₜ = ℓₜ₋₁ + φ·bₜ₋₁ + α·eₜ`, `bₜ = φ·bₜ₋₁ + β·eₜ` (ANN: b ≡ 0). Parameters
/// `α ∈ (1e-4, 0.9999)`, `β ∈ (1e-4·α, α)`, `φ ∈ (0.8, 0.98)` and the initial states `ℓ₀, b₀` minimise
/// the sum of squared one-step errors by a bounded Nelder–Mead (private, fixed iteration budget,
/// deterministic). AICc = n·log(SSE/n) + 2k + 2k(k+1)/(n−k−1), with k = parameters + states + 1.
/// h-step variance: `σ²·(1 + Σⱼ₌₁^{h−1} cⱼ²)`, `cⱼ = α + β·(φ + … + φʲ)`, `σ² = SSE/(n − k)`.
/// This is a deliberate subset of statsforecast's `AutoETS(model="ZZN")` (additive errors only).
struct MSTLTrendModel: Sendable {
    var damped: Bool
    var alpha: Double, beta: Double, phi: Double
    var level: Double, slope: Double
    var sigma2: Double
    var fitted: [Double]

    static func fit(_ y: [Double], model: String) throws(ForecastError) -> MSTLTrendModel {
        let n = y.count
        guard n >= 4 else { throw .tooShort(model: model, needed: 4, got: n) }
        var mean = 0.0
        for v in y { mean += v }
        mean /= Double(n)
        var scale = 0.0
        for v in y { scale += (v - mean) * (v - mean) }
        scale = max((scale / Double(n)).squareRoot(), 1e-8 * max(1, abs(mean)))
        let head = min(n, 10)
        var l0 = 0.0
        for t in 0..<head { l0 += y[t] }
        l0 /= Double(head)
        let b0 = n >= 2 ? (y[min(n - 1, head - 1)] - y[0]) / Double(max(1, head - 1)) : 0

        func params(_ u: [Double], damped: Bool) -> (Double, Double, Double, Double, Double) {
            let alpha = 1e-4 + (0.9999 - 1e-4) * logistic(u[0])
            let l = l0 + scale * u[1]
            guard damped else { return (alpha, 0, 0, l, 0) }
            let beta = alpha * (1e-4 + (1 - 1e-4) * logistic(u[2]))
            let phi = 0.8 + 0.18 * logistic(u[3])
            return (alpha, beta, phi, l, b0 + scale * u[4] / Double(n))
        }
        var bestAICc = Double.infinity
        var best: MSTLTrendModel? = nil
        for damped in [false, true] {
            let start: [Double] = damped ? [logit(0.3), 0, logit(0.1), logit(0.9), 0] : [logit(0.3), 0]
            let u = nelderMead(start, iterations: damped ? 600 : 250) { u in
                let (a, b, p, l, s) = params(u, damped: damped)
                return y.withUnsafeBufferPointer { sse($0, a, b, p, l, s, fitted: nil) }
            }
            let (a, b, p, l, s) = params(u, damped: damped)
            var fitted = [Double](repeating: 0, count: n)
            var state = (level: 0.0, slope: 0.0)
            let e = y.withUnsafeBufferPointer { py in
                fitted.withUnsafeMutableBufferPointer { pf in sse(py, a, b, p, l, s, fitted: pf, final: &state) }
            }
            let k = Double(damped ? 6 : 3)
            let nn = Double(n)
            let aicc = nn * log(max(e, 1e-300) / nn) + 2 * k + (nn - k - 1 > 0 ? 2 * k * (k + 1) / (nn - k - 1) : .infinity)
            let m = MSTLTrendModel(
                damped: damped, alpha: a, beta: b, phi: p, level: state.level, slope: state.slope,
                sigma2: e / max(1, nn - k), fitted: fitted)
            if aicc < bestAICc || best == nil { bestAICc = aicc; best = m }
        }
        guard let chosen = best, chosen.fitted.allSatisfy(\.isFinite) else { throw .degenerate(model: model, reason: "non-finite trend fit") }
        return chosen
    }

    func forecast(horizon: Int) -> ModelForecast {
        var mean = [Double](repeating: 0, count: horizon)
        var variance = [Double](repeating: 0, count: horizon)
        var phiSum = 0.0, phiPower = 1.0, cumulative = 0.0
        for h in 0..<horizon {
            // mean: ℓ + (φ + … + φ^{h+1})·b ; variance uses c_j for j = 1…h.
            phiPower *= phi
            phiSum += phiPower
            mean[h] = level + (damped ? phiSum * slope : 0)
            variance[h] = sigma2 * (1 + cumulative)
            let c = alpha + (damped ? beta * phiSum : 0)
            cumulative += c * c
        }
        return ModelForecast(mean: mean, variance: variance)
    }
}

/// Sum of squared one-step errors of ETS(A,Ad,N) (ANN when β = φ = b₀ = 0).
private func sse(
    _ y: UnsafeBufferPointer<Double>, _ alpha: Double, _ beta: Double, _ phi: Double, _ l0: Double, _ b0: Double,
    fitted: UnsafeMutableBufferPointer<Double>?
) -> Double {
    var state = (level: 0.0, slope: 0.0)
    return sse(y, alpha, beta, phi, l0, b0, fitted: fitted, final: &state)
}

private func sse(
    _ y: UnsafeBufferPointer<Double>, _ alpha: Double, _ beta: Double, _ phi: Double, _ l0: Double, _ b0: Double,
    fitted: UnsafeMutableBufferPointer<Double>?, final: inout (level: Double, slope: Double)
) -> Double {
    var l = l0, b = b0, s = 0.0
    for t in 0..<y.count {
        let yhat = l + phi * b
        fitted?[t] = yhat
        let e = y[t] - yhat
        s += e * e
        l = yhat + alpha * e
        b = phi * b + beta * e
    }
    final = (l, b)
    return s.isFinite ? s : .infinity
}

private func logistic(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
private func logit(_ p: Double) -> Double { log(p / (1 - p)) }

/// A plain Nelder–Mead (reflection 1, expansion 2, contraction ½, shrink ½) with a fixed budget
/// of `iterations` and a simplex of step 0.5 around `start`. Deterministic.
private func nelderMead(_ start: [Double], iterations: Int, _ f: ([Double]) -> Double) -> [Double] {
    let d = start.count
    var simplex = [start]
    for i in 0..<d { var p = start; p[i] += 0.5; simplex.append(p) }
    var values = simplex.map(f)
    for _ in 0..<iterations {
        let order = values.indices.sorted { values[$0] < values[$1] }
        simplex = order.map { simplex[$0] }
        values = order.map { values[$0] }
        if abs(values[d] - values[0]) <= 1e-10 * (abs(values[0]) + 1e-12) { break }
        var centroid = [Double](repeating: 0, count: d)
        for p in simplex.dropLast() { for j in 0..<d { centroid[j] += p[j] / Double(d) } }
        func along(_ t: Double) -> [Double] { (0..<d).map { centroid[$0] + t * (simplex[d][$0] - centroid[$0]) } }
        let reflected = along(-1), fr = f(reflected)
        if fr < values[0] {
            let expanded = along(-2), fe = f(expanded)
            if fe < fr { simplex[d] = expanded; values[d] = fe } else { simplex[d] = reflected; values[d] = fr }
        } else if fr < values[d - 1] {
            simplex[d] = reflected; values[d] = fr
        } else {
            let contracted = fr < values[d] ? along(-0.5) : along(0.5)
            let fc = f(contracted)
            if fc < min(fr, values[d]) {
                simplex[d] = contracted; values[d] = fc
            } else {
                for i in 1...d {
                    simplex[i] = (0..<d).map { simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0]) }
                    values[i] = f(simplex[i])
                }
            }
        }
    }
    let best = values.indices.min { values[$0] < values[$1] }!
    return simplex[best]
}
