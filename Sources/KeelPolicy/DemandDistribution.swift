#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif

/// A demand distribution — per period, or over a lead time — with the functions inventory
/// policies need: cdf, quantile, first- and second-order loss.
///
/// Two representations:
/// - **normal** (μ, σ > 0): continuous; loss functions in closed form (`StandardNormal`).
/// - **discrete**: finitely many support values with probabilities. Poisson and negative binomial
///   are tabulated on the integers by their ratio recurrences, from the mode outwards until the
///   probability falls below e⁻⁵⁰ of the mode's (≈ 2·10⁻²² relative), then renormalised; a pmf over 0, 1, 2, … and a
///   weighted or equally weighted sample (e.g. the forecast's lead-time quantiles at levels
///   (i − ½)/n) are taken as given. Queries are O(log n) over prefix and suffix sums (the suffix
///   sums keep the upper tail accurate).
///
/// A normal with σ = 0 is the point mass at μ (discrete). `family` remembers how the distribution
/// was made, so that `overPeriods(_:)` sums Poisson and negative binomial exactly by parameter.
public struct DemandDistribution: Sendable, Equatable {
    public enum Family: Sendable, Equatable {
        case normal(mean: Double, standardDeviation: Double)
        case poisson(mean: Double)
        case negativeBinomial(mean: Double, variance: Double)
        case empirical
    }

    public let family: Family
    public let mean: Double
    public let variance: Double
    /// Support values in increasing order (empty for a normal with σ > 0).
    public let values: [Double]
    /// Probabilities of `values` (sum 1).
    public let probabilities: [Double]
    /// True when every support value is an integer (Poisson, negative binomial, pmf, integer samples).
    public let isIntegerValued: Bool

    @usableFromInline let prefix: [Double]  // P(D ≤ values[i])
    @usableFromInline let tailMass: [Double]  // Σ_{j≥i} p_j, count + 1 entries
    @usableFromInline let tailFirst: [Double]  // Σ_{j≥i} p_j v_j
    @usableFromInline let tailSecond: [Double]  // Σ_{j≥i} p_j v_j²

    public var standardDeviation: Double { variance.squareRoot() }
    public var isNormal: Bool { values.isEmpty }

    // MARK: Construction

    /// Normal demand. μ must be finite and ≥ 0, σ finite and ≥ 0 (σ = 0: the point mass at μ).
    public static func normal(mean: Double, standardDeviation sd: Double) throws -> DemandDistribution {
        try Check.nonNegative(mean, "demand mean")
        try Check.nonNegative(sd, "demand standard deviation")
        if sd == 0 { return DemandDistribution(family: .normal(mean: mean, standardDeviation: 0), values: [mean], probabilities: [1]) }
        return DemandDistribution(normalMean: mean, sd: sd)
    }

    /// A normal with the given mean whose standard deviation best fits quantiles (level, value)
    /// — e.g. a forecast's lead-time mean and its 0.9 and 0.95 quantiles: σ minimises
    /// Σᵢ (qᵢ − μ − σ·zᵢ)², zᵢ = Φ⁻¹(levelᵢ), i.e. σ = Σ zᵢ(qᵢ − μ) / Σ zᵢ². Levels in (0, 1), at
    /// least one away from 0.5; a fitted σ below 0 (quantiles falling with the level) is refused.
    public static func normal(mean: Double, quantiles: [Double], levels: [Double]) throws -> DemandDistribution {
        guard !quantiles.isEmpty, quantiles.count == levels.count else {
            throw PolicyError(field: "quantiles", reason: "need one value per level, got \(quantiles.count) values for \(levels.count) levels")
        }
        var num = 0.0, den = 0.0
        for (q, level) in zip(quantiles, levels) {
            try Check.openUnit(level, "quantile level")
            try Check.finite(q, "quantile")
            let z = StandardNormal.quantile(level)
            num += z * (q - mean); den += z * z
        }
        guard den > 1e-12 else { throw PolicyError(field: "quantile levels", reason: "need a level other than 0.5 to fit a spread") }
        let sd = num / den
        guard sd >= -1e-12 * max(1, abs(mean)) else {
            throw PolicyError(field: "quantiles", reason: "fall as the level rises (fitted standard deviation \(sd))")
        }
        return try normal(mean: mean, standardDeviation: max(0, sd))
    }

    /// Poisson demand with mean μ ≥ 0 (μ = 0: no demand, the point mass at 0). Tabulated exactly;
    /// μ above 10⁹ is refused (use a normal).
    public static func poisson(mean: Double) throws -> DemandDistribution {
        try Check.nonNegative(mean, "Poisson mean")
        guard mean <= 1e9 else { throw PolicyError(field: "Poisson mean", reason: "\(mean) is too large to tabulate; use a normal") }
        if mean == 0 { return DemandDistribution(family: .poisson(mean: 0), values: [0], probabilities: [1]) }
        let (lo, pmf) = try tabulate("Poisson mean", mode: mean.rounded(.down)) { k in mean / (k + 1) }
        return DemandDistribution(family: .poisson(mean: mean), firstValue: lo, pmf: pmf)
    }

    /// Negative binomial with mean μ > 0 and variance v > μ (size r = μ²/(v − μ)); v = μ gives the
    /// Poisson.
    public static func negativeBinomial(mean: Double, variance: Double) throws -> DemandDistribution {
        try Check.nonNegative(mean, "negative binomial mean")
        try Check.nonNegative(variance, "negative binomial variance")
        guard variance >= mean else {
            throw PolicyError(field: "negative binomial variance", reason: "must be at least the mean (\(mean)), got \(variance)")
        }
        if mean == 0 || variance <= mean * (1 + 1e-12) { return try poisson(mean: mean) }
        let r = mean * mean / (variance - mean)
        let q = mean / (r + mean)  // 1 − p
        guard mean <= 1e9 else {
            throw PolicyError(field: "negative binomial", reason: "mean \(mean) is too large to tabulate; use a normal")
        }
        let mode = r > 1 ? ((r - 1) * q / (1 - q)).rounded(.down) : 0
        let (lo, pmf) = try tabulate("negative binomial", mode: mode) { k in (k + r) / (k + 1) * q }
        return DemandDistribution(family: .negativeBinomial(mean: mean, variance: variance), firstValue: lo, pmf: pmf)
    }

    /// A probability mass function over 0, 1, 2, …: non-empty, finite, non-negative entries summing
    /// to 1 within 10⁻⁶ (then renormalised).
    public static func pmf(_ probabilities: [Double]) throws -> DemandDistribution {
        guard !probabilities.isEmpty else { throw PolicyError(field: "demand pmf", reason: "is empty") }
        for (k, p) in probabilities.enumerated() where !(p.isFinite && p >= 0) {
            throw PolicyError(field: "demand pmf", reason: "P(\(k)) must be a finite probability ≥ 0, got \(p)")
        }
        let total = probabilities.reduce(0, +)
        guard abs(total - 1) <= 1e-6 else { throw PolicyError(field: "demand pmf", reason: "probabilities sum to \(total), not 1") }
        return DemandDistribution(family: .empirical, firstValue: 0, pmf: probabilities.map { $0 / total })
    }

    /// A weighted sample of demand values (finite; weights finite, ≥ 0, not all 0); equal
    /// weights when `weights` is nil — e.g. the lead-time demand quantiles at levels (i − ½)/n.
    public static func empirical(values: [Double], weights: [Double]? = nil) throws -> DemandDistribution {
        guard !values.isEmpty else { throw PolicyError(field: "demand sample", reason: "is empty") }
        if let weights, weights.count != values.count {
            throw PolicyError(field: "demand sample", reason: "\(values.count) values but \(weights.count) weights")
        }
        var pairs: [(Double, Double)] = []
        pairs.reserveCapacity(values.count)
        for (i, v) in values.enumerated() {
            guard v.isFinite else { throw PolicyError(field: "demand sample", reason: "value \(i + 1) is not finite") }
            let w = weights?[i] ?? 1
            guard w.isFinite, w >= 0 else { throw PolicyError(field: "demand sample", reason: "weight \(i + 1) must be finite and ≥ 0, got \(w)") }
            pairs.append((v, w))
        }
        let total = pairs.reduce(0) { $0 + $1.1 }
        guard total > 0 else { throw PolicyError(field: "demand sample", reason: "all weights are 0") }
        pairs.sort { $0.0 < $1.0 }
        var vs: [Double] = [], ps: [Double] = []
        for (v, w) in pairs {
            if let last = vs.last, last == v { ps[ps.count - 1] += w / total } else { vs.append(v); ps.append(w / total) }
        }
        return DemandDistribution(family: .empirical, values: vs, probabilities: ps)
    }

    /// The sum of `periods` independent copies (demand over that many periods): normal (nμ, √n σ),
    /// Poisson (nμ), negative binomial (nμ, nv) by parameter; an integer-valued pmf or sample by
    /// exact convolution (tails below 10⁻²⁰ dropped, then renormalised). A sample with non-integer
    /// values cannot be convolved and is refused — give the lead-time distribution directly.
    public func overPeriods(_ periods: Int) throws -> DemandDistribution {
        guard periods >= 1 else { throw PolicyError(field: "periods", reason: "must be at least 1, got \(periods)") }
        if periods == 1 { return self }
        let n = Double(periods)
        switch family {
        case .normal(let m, let s): return try .normal(mean: n * m, standardDeviation: n.squareRoot() * s)
        case .poisson(let m): return try .poisson(mean: n * m)
        case .negativeBinomial(let m, let v): return try .negativeBinomial(mean: n * m, variance: n * v)
        case .empirical: break
        }
        guard let dense = densePMF() else {
            throw PolicyError(
                field: "demand sample", reason: "non-integer values cannot be summed over periods; give the lead-time distribution directly")
        }
        guard Double(dense.pmf.count) * n < 5e6 else {
            throw PolicyError(field: "demand pmf", reason: "too wide to convolve over \(periods) periods")
        }
        var result: [Double] = [1], resultOffset = 0
        var base = dense.pmf, baseOffset = dense.offset
        var k = periods
        while k > 0 {
            if k & 1 == 1 { (result, resultOffset) = Self.convolve(result, resultOffset, base, baseOffset) }
            k >>= 1
            if k > 0 { (base, baseOffset) = Self.convolve(base, baseOffset, base, baseOffset) }
        }
        return DemandDistribution(family: .empirical, firstValue: Double(resultOffset), pmf: result)
    }

    /// Demand over a duration t ≥ 0 (in periods, fractional allowed) for the families that are
    /// infinitely divisible by parameter: normal (tμ, √t σ), Poisson (tμ), negative binomial
    /// (tμ, tv). A pmf or sample is refused unless t is a whole number (then `overPeriods`).
    /// t = 0 is the point mass at 0.
    public func overDuration(_ t: Double) throws -> DemandDistribution {
        try Check.nonNegative(t, "duration")
        if t == 0 { return DemandDistribution(family: .empirical, values: [0], probabilities: [1]) }
        switch family {
        case .normal(let m, let s): return try .normal(mean: t * m, standardDeviation: t.squareRoot() * s)
        case .poisson(let m): return try .poisson(mean: t * m)
        case .negativeBinomial(let m, let v): return try .negativeBinomial(mean: t * m, variance: t * v)
        case .empirical:
            guard t == t.rounded() else {
                throw PolicyError(field: "duration", reason: "a pmf or sample can only be summed over whole periods, got \(t)")
            }
            return try overPeriods(Int(t))
        }
    }

    /// The probabilities on consecutive integers from `offset` when the distribution is integer
    /// valued (zeros filled in between support points); nil otherwise.
    public func densePMF() -> (offset: Int, pmf: [Double])? {
        guard isIntegerValued, let first = values.first, let last = values.last else { return nil }
        let lo = Int(first), count = Int(last) - lo + 1
        guard count <= 50_000_000 else { return nil }
        var pmf = [Double](repeating: 0, count: count)
        for (v, p) in zip(values, probabilities) { pmf[Int(v) - lo] += p }
        return (lo, pmf)
    }

    // MARK: Queries

    /// P(D ≤ x).
    public func cdf(_ x: Double) -> Double {
        if isNormal { return StandardNormal.cdf((x - mean) / standardDeviation) }
        let i = firstIndexAbove(x)
        if i == 0 { return 0 }
        return prefix[i - 1] <= 0.5 ? prefix[i - 1] : 1 - tailMass[i]
    }

    /// P(D > x).
    public func survival(_ x: Double) -> Double {
        if isNormal { return StandardNormal.survival((x - mean) / standardDeviation) }
        return tailMass[firstIndexAbove(x)]
    }

    /// The smallest x with P(D ≤ x) ≥ level (a support value for discrete demand; the level is
    /// taken 10⁻¹² lower so that rounding in the sums never moves it up a value). Level in (0, 1).
    public func quantile(_ level: Double) throws -> Double {
        try Check.openUnit(level, "quantile level")
        if isNormal { return mean + standardDeviation * StandardNormal.quantile(level) }
        let target = level - 1e-12
        var lo = 0, hi = values.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if prefix[mid] >= target { hi = mid } else { lo = mid + 1 }
        }
        return values[lo]
    }

    /// First-order loss E[(D − x)⁺]: the expected shortage when stock x faces demand D.
    public func loss(_ x: Double) -> Double {
        if isNormal { return standardDeviation * StandardNormal.loss((x - mean) / standardDeviation) }
        let i = firstIndexAbove(x)
        return max(0, tailFirst[i] - x * tailMass[i])
    }

    /// Second-order loss E[((D − x)⁺)²] / 2 (= ∫ₓ^∞ E[(D − t)⁺] dt for continuous D).
    public func secondOrderLoss(_ x: Double) -> Double {
        if isNormal { return variance * StandardNormal.secondOrderLoss((x - mean) / standardDeviation) }
        let i = firstIndexAbove(x)
        return max(0, 0.5 * (tailSecond[i] - 2 * x * tailFirst[i] + x * x * tailMass[i]))
    }

    /// Expected one-period holding and shortage cost with stock y against demand D:
    /// h·E[(y − D)⁺] + p·E[(D − y)⁺] = h(y − μ) + (h + p)·E[(D − y)⁺].
    public func newsvendorCost(level y: Double, holding h: Double, shortage p: Double) -> Double {
        h * (y - mean) + (h + p) * loss(y)
    }

    /// Index of the first support value greater than x (values.count when none).
    @inlinable func firstIndexAbove(_ x: Double) -> Int {
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    // MARK: Storage

    private init(normalMean: Double, sd: Double) {
        family = .normal(mean: normalMean, standardDeviation: sd)
        mean = normalMean
        variance = sd * sd
        values = []; probabilities = []; prefix = []; tailMass = [0]; tailFirst = [0]; tailSecond = [0]
        isIntegerValued = false
    }

    private init(family: Family, firstValue: Double, pmf: [Double]) {
        self.init(family: family, values: (0..<pmf.count).map { firstValue + Double($0) }, probabilities: pmf)
    }

    /// `values` strictly increasing, `probabilities` ≥ 0 summing to 1 (renormalised here).
    /// Prefix and suffix sums in one pass each over contiguous buffers.
    private init(family: Family, values: [Double], probabilities: [Double]) {
        let n = values.count
        let total = probabilities.reduce(0, +)
        let ps = [Double](unsafeUninitializedCapacity: n) { out, count in
            probabilities.withUnsafeBufferPointer { p in for i in 0..<n { out[i] = p[i] / total } }
            count = n
        }
        var prefix = [Double](repeating: 0, count: n)
        var m0 = [Double](repeating: 0, count: n + 1), m1 = m0, m2 = m0
        var integral = true
        ps.withUnsafeBufferPointer { p in
            values.withUnsafeBufferPointer { v in
                prefix.withUnsafeMutableBufferPointer { c in
                    var running = 0.0
                    for i in 0..<n {
                        running += p[i]
                        c[i] = running
                        if integral && v[i] != v[i].rounded() { integral = false }
                    }
                }
                m0.withUnsafeMutableBufferPointer { a in
                    m1.withUnsafeMutableBufferPointer { b in
                        m2.withUnsafeMutableBufferPointer { c in
                            var i = n - 1
                            while i >= 0 {
                                let w = p[i], x = v[i]
                                a[i] = a[i + 1] + w
                                b[i] = b[i + 1] + w * x
                                c[i] = c[i + 1] + w * x * x
                                i -= 1
                            }
                        }
                    }
                }
            }
        }
        self.family = family
        self.values = values
        self.probabilities = ps
        self.prefix = prefix
        tailMass = m0
        tailFirst = m1
        tailSecond = m2
        switch family {
        case .poisson(let m):
            mean = m
            variance = m
        case .negativeBinomial(let m, let v):
            mean = m
            variance = v
        default:
            mean = m1[0]
            variance = max(0, m2[0] - m1[0] * m1[0])
        }
        isIntegerValued = integral
    }

    /// The most entries a tabulated distribution may hold (about 32 MB per array).
    static let maximumTableSize = 4_000_000

    /// Relative probabilities on the integers around `mode`, by the ratio recurrence
    /// P(k + 1) = P(k)·ratio(k) outwards from P(mode) = 1 (the caller's distribution is unimodal),
    /// out to e⁻⁵⁰ of the mode on each side; normalised by the initialiser. The rounding error of
    /// the products grows like (steps)·ε, about 10⁻¹³ relative at 10⁵ steps. A table longer than
    /// `maximumTableSize` (a negative binomial with variance/mean in the tens of thousands) is
    /// refused.
    private static func tabulate(_ field: String, mode: Double, ratio: (Double) -> Double) throws -> (Double, [Double]) {
        let cutoff = exp(-50.0)
        var upper: [Double] = [1], lower: [Double] = []
        var k = mode, v = 1.0
        while true {
            v *= ratio(k)
            k += 1
            if v < cutoff || !v.isFinite { break }
            upper.append(v)
            if upper.count > maximumTableSize {
                throw PolicyError(field: field, reason: "needs more than \(maximumTableSize) table entries; use a normal")
            }
        }
        k = mode
        v = 1
        while k >= 1 {
            v /= ratio(k - 1)
            k -= 1
            if v < cutoff || !v.isFinite { break }
            lower.append(v)
        }
        let first = mode - Double(lower.count)
        return (first, lower.reversed() + upper)
    }

    private static func convolve(_ a: [Double], _ aOffset: Int, _ b: [Double], _ bOffset: Int) -> ([Double], Int) {
        var out = [Double](repeating: 0, count: a.count + b.count - 1)
        out.withUnsafeMutableBufferPointer { o in
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    for i in 0..<x.count where x[i] != 0 {
                        let xi = x[i]
                        for j in 0..<y.count { o[i + j] += xi * y[j] }
                    }
                }
            }
        }
        // Trim negligible tails.
        var lo = 0, hi = out.count - 1
        while lo < hi && out[lo] < 1e-20 { lo += 1 }
        while hi > lo && out[hi] < 1e-20 { hi -= 1 }
        return (Array(out[lo...hi]), aOffset + bOffset + lo)
    }
}
