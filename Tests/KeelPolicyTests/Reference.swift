import Foundation

/// Test-side reference computations, written independently of KeelPolicy's code paths.
enum Reference {
    /// Poisson probabilities P(0…n) by the recursion P(k) = P(k − 1)·μ/k from e^(−μ) (μ ≤ 500).
    static func poissonPMF(_ mu: Double, upTo n: Int) -> [Double] {
        var out = [exp(-mu)]
        for k in 1...max(1, n) { out.append(out[k - 1] * mu / Double(k)) }
        return out
    }

    /// h·E(y − D)⁺ + p·E(D − y)⁺ by a direct sum over a pmf on 0, 1, 2, ….
    static func periodCost(_ y: Int, pmf: [Double], h: Double, p: Double) -> Double {
        var total = 0.0
        for (k, pk) in pmf.enumerated() {
            total += pk * (y >= k ? h * Double(y - k) : p * Double(k - y))
        }
        return total
    }

    /// Standard normal density.
    static func phi(_ z: Double) -> Double { exp(-z * z / 2) / (2 * Double.pi).squareRoot() }

    /// E(X − y)⁺ for X ~ N(m, s²) by composite Simpson integration of (x − y)·density over
    /// [y, m + 12s] with `intervals` intervals (even).
    static func normalLoss(_ y: Double, mean m: Double, sd s: Double, intervals: Int = 20_000) -> Double {
        let a = max(y, m - 12 * s), b = m + 12 * s
        guard b > a else { return 0 }
        let n = intervals
        let step = (b - a) / Double(n)
        var total = 0.0
        for i in 0...n {
            let x = a + Double(i) * step
            let w: Double = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2)
            total += w * (x - y) * phi((x - m) / s) / s
        }
        let tail = total * step / 3
        // For y below the integration window, add the part of E(X − y) below it: (a − y)·P(X ≥ a) ≈ (a − y).
        return y < a ? tail + (a - y) : tail
    }

    /// Solves A x = b (Gaussian elimination with partial pivoting), A row-major n × n.
    static func solve(_ a: [Double], _ b: [Double], n: Int) -> [Double] {
        var m = a, v = b
        for c in 0..<n {
            var piv = c
            for r in c..<n where abs(m[r * n + c]) > abs(m[piv * n + c]) { piv = r }
            if piv != c {
                for k in 0..<n { m.swapAt(c * n + k, piv * n + k) }
                v.swapAt(c, piv)
            }
            for r in (c + 1)..<n {
                let f = m[r * n + c] / m[c * n + c]
                if f == 0 { continue }
                for k in c..<n { m[r * n + k] -= f * m[c * n + k] }
                v[r] -= f * v[c]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = v[r]
            for k in (r + 1)..<n { s -= m[r * n + k] * x[k] }
            x[r] = s / m[r * n + r]
        }
        return x
    }
}
