/// The ETS state recursion over a whole series: the likelihood's inner loop.
///
/// Allocation-free: the seasonal states live in a ring of m slots (`ring[t mod m]` holds sₜ₋ₘ
/// when step t is processed), supplied by the caller; y, fitted values and residuals are raw
/// buffers. A missing yₜ (NaN) contributes no error: the state moves by its one-step forecast
/// (yₜ := μₜ) and the point is left out of the likelihood. Guards follow forecast::ets's C code:
/// a seasonal state or forecast with |·| < 1e-10 makes the ratio 1e10.
struct ETSRecursion {
    var spec: ETSSpec
    var parameters: ETSParameters
    var seasonLength: Int

    struct Outcome {
        var sse: Double
        var sumLogForecast: Double
        var observed: Int
        var level: Double
        var trend: Double
        var finite: Bool
    }

    static let tiny = 1e-10
    static let huge = 1e10

    /// Runs the recursion from (l0, b0, ring) over y. `ring` holds the m initial seasonal
    /// states in time order and is overwritten with the final ones (slot (n + k) mod m holds the
    /// state for step n + k + 1). `fitted`/`residuals`, when given, receive μₜ and εₜ.
    @inline(__always)
    func run(_ y: UnsafeBufferPointer<Double>, level l0: Double, trend b0: Double,
             ring: UnsafeMutableBufferPointer<Double>,
             fitted: UnsafeMutableBufferPointer<Double>? = nil,
             residuals: UnsafeMutableBufferPointer<Double>? = nil) -> Outcome {
        let alpha = parameters.alpha, beta = parameters.beta, gamma = parameters.gamma
        let phi = spec.damped ? parameters.phi : 1
        let hasTrend = spec.hasTrend
        let season = spec.season
        let multiplicativeError = spec.error == .multiplicative
        let m = max(1, seasonLength)
        let betaOverAlpha = hasTrend ? beta / alpha : 0
        var l = l0, b = hasTrend ? b0 : 0
        var sse = 0.0, sumLog = 0.0, observed = 0
        var slot = 0
        for t in 0..<y.count {
            let q = hasTrend ? l + phi * b : l
            let sOld = season == .none ? 0 : ring[slot]
            let mu: Double
            switch season {
            case .none: mu = q
            case .additive: mu = q + sOld
            case .multiplicative: mu = q * sOld
            }
            var yt = y[t]
            if yt.isNaN {
                yt = mu
                residuals?[t] = .nan
            } else {
                let e: Double
                if multiplicativeError {
                    e = (yt - mu) / (abs(mu) < Self.tiny ? mu + Self.tiny : mu)
                    let a = abs(mu)
                    sumLog += a > 0 ? _log(a) : _log(a + 1e-8)
                } else {
                    e = yt - mu
                }
                residuals?[t] = e
                sse += e * e
                observed += 1
            }
            fitted?[t] = mu
            // Update.
            let p: Double
            switch season {
            case .none: p = yt
            case .additive: p = yt - sOld
            case .multiplicative: p = abs(sOld) < Self.tiny ? Self.huge : yt / sOld
            }
            let lNew = q + alpha * (p - q)
            if hasTrend {
                let phiB = phi * b
                b = phiB + betaOverAlpha * (lNew - l - phiB)
            }
            if season != .none {
                let r: Double
                if season == .additive { r = yt - q } else { r = abs(q) < Self.tiny ? Self.huge : yt / q }
                ring[slot] = sOld + gamma * (r - sOld)
                slot += 1
                if slot == m { slot = 0 }
            }
            l = lNew
        }
        // Rotate the ring so that slot k holds the state for step n + k + 1.
        if season != .none && slot != 0 {
            rotateLeft(ring, by: slot)
        }
        let finite = sse.isFinite && l.isFinite && b.isFinite && sumLog.isFinite
        return Outcome(sse: sse, sumLogForecast: sumLog, observed: observed, level: l, trend: b, finite: finite)
    }

    /// −2 log L up to a constant: n log(SSE/n), plus 2Σ log|μₜ| for multiplicative errors.
    static func minus2LogLikelihood(_ o: Outcome, multiplicative: Bool) -> Double {
        let n = Double(o.observed)
        guard n > 0 else { return .infinity }
        var lik = n * _log(o.sse > 0 ? o.sse / n : 1e-8 / n)
        if multiplicative { lik += 2 * o.sumLogForecast }
        return lik
    }
}

/// In-place left rotation by k (three reversals, no allocation).
@inline(__always)
func rotateLeft(_ a: UnsafeMutableBufferPointer<Double>, by k: Int) {
    func reverse(_ lo: Int, _ hi: Int) {
        var i = lo, j = hi - 1
        while i < j { let t = a[i]; a[i] = a[j]; a[j] = t; i += 1; j -= 1 }
    }
    reverse(0, k)
    reverse(k, a.count)
    reverse(0, a.count)
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
#endif
