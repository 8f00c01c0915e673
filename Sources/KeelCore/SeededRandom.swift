/// A small, fast, seedable generator (xoshiro256** seeded through SplitMix64).
///
/// Same seed, same sequence, on every platform and Swift version — unlike
/// `SystemRandomNumberGenerator`. Used wherever a run must be reproducible.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var x = seed
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(&x); s1 = splitMix(&x); s2 = splitMix(&x); s3 = splitMix(&x)
    }

    /// An independent stream derived from this seed and a label (e.g. a series index).
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) &+ 0x632B_E59B_D9B4_E019)
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @usableFromInline func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal (Box–Muller; one value per call, deterministic).
    public mutating func normal() -> Double {
        var u = uniform()
        while u <= 0 { u = uniform() }
        let v = uniform()
        return (-2 * _log(u)).squareRoot() * _cos(2 * Double.pi * v)
    }

    /// Poisson(λ): inversion for small λ, a normal approximation with continuity for λ > 60.
    public mutating func poisson(_ lambda: Double) -> Int {
        guard lambda > 0 else { return 0 }
        if lambda > 60 {
            return max(0, Int((lambda + lambda.squareRoot() * normal() + 0.5).rounded(.down)))
        }
        let l = _exp(-lambda)
        var k = 0
        var p = uniform()
        while p > l { k += 1; p *= uniform() }
        return k
    }

    /// Gamma(shape, 1) by Marsaglia–Tsang.
    public mutating func gamma(_ shape: Double) -> Double {
        if shape < 1 { return gamma(shape + 1) * _pow(max(uniform(), 1e-300), 1 / shape) }
        let d = shape - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat { x = normal(); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = uniform()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if _log(u) < 0.5 * x * x + d * (1 - v + _log(v)) { return d * v }
        }
    }

    /// Negative binomial with mean μ and dispersion k (variance μ + μ²/k), as a gamma–Poisson mix.
    public mutating func negativeBinomial(mean: Double, dispersion k: Double) -> Int {
        guard mean > 0 else { return 0 }
        return poisson(mean * gamma(k) / k)
    }

    /// An integer in 0..<n.
    public mutating func int(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

    /// True with probability p.
    public mutating func chance(_ p: Double) -> Bool { uniform() < p }
}
