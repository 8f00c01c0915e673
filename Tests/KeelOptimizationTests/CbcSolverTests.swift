import KeelOptimization
import KeelTestSupport
import Testing

/// MIP solves checked against brute-force enumeration done inside the tests.
@Suite struct CbcSolverTests {
    let values: [Double] = [10, 13, 7, 8, 4]
    let weights: [Double] = [5, 7, 4, 5, 3]
    let capacity: Double = 13

    /// 0-1 knapsack as a minimisation: min −vᵀx s.t. wᵀx ≤ capacity, 0 ≤ x ≤ 1, x integer.
    func knapsack(integer: Bool) throws -> LinearProgram {
        LinearProgram(
            objective: values.map { -$0 }, constraints: try SparseMatrix(dense: [weights]),
            rowLower: [-.infinity], rowUpper: [capacity],
            columnLower: Array(repeating: 0, count: 5), columnUpper: Array(repeating: 1, count: 5),
            isInteger: Array(repeating: integer, count: 5))
    }

    /// The best value over all 2⁵ subsets that fit.
    func bruteForceBest() -> (value: Double, pick: [Double]) {
        var best = (value: 0.0, pick: [Double](repeating: 0, count: 5))
        for mask in 0..<(1 << 5) {
            let pick = (0..<5).map { Double((mask >> $0) & 1) }
            let weight = zip(pick, weights).map(*).reduce(0, +)
            let value = zip(pick, values).map(*).reduce(0, +)
            if weight <= capacity && value > best.value { best = (value, pick) }
        }
        return best
    }

    @Test func knapsackMatchesBruteForce() throws {
        let best = bruteForceBest()
        #expect(best.value == 23)  // items 0 and 1: weight 12
        let s = try CbcSolver().solve(try knapsack(integer: true)).requireOptimal()
        #expect(isClose(s.objective, -best.value, relative: 1e-9))
        #expect(s.x.map { $0.rounded() } == best.pick)
        #expect(s.gap <= 1e-6)
        #expect(s.bestBound <= s.objective + 1e-6)
    }

    /// The LP relaxation takes items by value/weight (2, 1.86, 1.75, …): items 0 and 1 fill 12,
    /// then a quarter of item 2 adds 1.75 — value 24.75 (Dantzig's bound), above the integer 23.
    @Test func mipOptimumDiffersFromRelaxation() throws {
        let relaxation = try ClpSolver().solve(try knapsack(integer: false)).requireOptimal()
        #expect(isClose(relaxation.objective, -24.75, relative: 1e-6))
        #expect(isClose(relaxation.x[2], 0.25, relative: 1e-6))
        // Clp ignores integrality flags: the same program with them set has the same relaxation.
        let relaxedAgain = try ClpSolver().solve(try knapsack(integer: true)).requireOptimal()
        #expect(isClose(relaxedAgain.objective, -24.75, relative: 1e-6))

        let mip = try CbcSolver().solve(try knapsack(integer: true)).requireOptimal()
        #expect(isClose(mip.objective, -23, relative: 1e-9))
        #expect(mip.objective > relaxation.objective + 1)
        #expect(mip.x.allSatisfy { abs($0 - $0.rounded()) < 1e-6 })
    }

    @Test func infeasibleMIP() throws {
        // 2x = 3 has no integer solution though its relaxation (x = 1.5) is feasible.
        let lp = LinearProgram(
            objective: [1], constraints: try SparseMatrix(dense: [[2]]), rowLower: [3], rowUpper: [3],
            columnUpper: [10], isInteger: [true])
        let s = try CbcSolver().solve(lp)
        #expect(s.status == .infeasible)
        #expect(!s.hasSolution)
        #expect(throws: OptimizationError.self) { try s.requireOptimal() }
    }

    @Test func solverIsReusableAndTimeLimitAccepted() throws {
        let solver = CbcSolver()
        solver.timeLimit = 10
        solver.relativeGap = 0
        let a = try solver.solve(try knapsack(integer: true))
        let b = try solver.solve(try knapsack(integer: true))
        #expect(a.status == .optimal && b.status == .optimal)
        #expect(a.objective == b.objective)
    }
}
