import Foundation

/// A deterministic pseudo-random source for synthetic test data (SplitMix64).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform on (0, 1).
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992 }
    /// Standard normal (Box–Muller).
    mutating func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
    /// Poisson(λ): Knuth's product method below 30, a rounded normal above.
    mutating func poisson(_ lambda: Double) -> Double {
        if lambda >= 30 { return max(0, (lambda + lambda.squareRoot() * normal()).rounded()) }
        let limit = exp(-lambda)
        var k = 0.0, p = uniform()
        while p > limit { k += 1; p *= uniform() }
        return k
    }
}
