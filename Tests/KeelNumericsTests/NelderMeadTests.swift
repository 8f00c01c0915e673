import KeelNumerics
import KeelTestSupport
import Testing

/// Nelder–Mead against minima known analytically.
@Suite struct NelderMeadTests {
    /// Rosenbrock f(x, y) = (1 − x)² + 100(y − x²)², minimum 0 at (1, 1). From the classic start
    /// (−1.2, 1) a tight tolerance must reach the valley floor: |x − 1|, |y − 1| < 1e-3.
    @Test func rosenbrock() {
        let nm = NelderMead(tolerance: 1e-12, maxIterations: 5000)
        let r = nm.minimize(start: [-1.2, 1], lower: [-.infinity, -.infinity], upper: [.infinity, .infinity]) { p in
            let x = p[0], y = p[1]
            return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)
        }
        #expect(r.converged)
        #expect(abs(r.x[0] - 1) < 1e-3 && abs(r.x[1] - 1) < 1e-3, "\(r)")
        #expect(r.value < 1e-6)
    }

    /// f = (x − 2)² + (y + 1)² + (z − 0.5)² on the box [0, 1]³: the constrained minimum is the
    /// projection (1, 0, 0.5), value 1 + 1 + 0 = 2. Tolerance 1e-4 on each coordinate.
    @Test func boundedQuadratic() {
        let nm = NelderMead(tolerance: 1e-12, maxIterations: 5000)
        let r = nm.minimize(start: [0.5, 0.5, 0.2], lower: [0, 0, 0], upper: [1, 1, 1]) { p in
            (p[0] - 2) * (p[0] - 2) + (p[1] + 1) * (p[1] + 1) + (p[2] - 0.5) * (p[2] - 0.5)
        }
        #expect(abs(r.x[0] - 1) < 1e-4 && abs(r.x[1]) < 1e-4 && abs(r.x[2] - 0.5) < 1e-4, "\(r)")
        #expect(abs(r.value - 2) < 1e-6)
        #expect(r.x.indices.allSatisfy { r.x[$0] >= 0 && r.x[$0] <= 1 })
    }

    /// A 6-dimensional shifted quadratic Σ i·(xᵢ − i)², minimum 0 at xᵢ = i; and determinism.
    @Test func quadraticSixDimensionsDeterministic() {
        let nm = NelderMead(tolerance: 1e-14, maxIterations: 20000)
        let f: (UnsafeBufferPointer<Double>) -> Double = { p in
            var s = 0.0
            for i in 0..<p.count { s += Double(i + 1) * (p[i] - Double(i)) * (p[i] - Double(i)) }
            return s
        }
        let inf = [Double](repeating: .infinity, count: 6)
        let a = nm.minimize(start: [1, 1, 1, 1, 1, 1], lower: inf.map { -$0 }, upper: inf, f)
        let b = nm.minimize(start: [1, 1, 1, 1, 1, 1], lower: inf.map { -$0 }, upper: inf, f)
        #expect(a == b)
        for i in 0..<6 { #expect(abs(a.x[i] - Double(i)) < 1e-3, "\(a.x)") }
    }

    /// An infinite penalty region (x + y > 1 is forbidden) is avoided: minimise −x − 2y there.
    /// Optimum on the edge at (0, 1), value −2; tolerance 1e-3.
    @Test func penaltyConstraint() {
        let nm = NelderMead(tolerance: 1e-12, maxIterations: 5000)
        let r = nm.minimize(start: [0.2, 0.2], lower: [0, 0], upper: [1, 1]) { p in
            p[0] + p[1] > 1 ? .infinity : -p[0] - 2 * p[1]
        }
        #expect(abs(r.value + 2) < 1e-3, "\(r)")
    }
}
