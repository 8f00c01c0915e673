import KeelOptimization
import KeelTestSupport
import Testing

/// LP solves against optima verifiable by hand (and cross-checked once with scipy 1.17's
/// `linprog(method="highs")`). Clp's feasibility tolerance is 1e-7, so values are compared with
/// relative tolerance 1e-6.
@Suite struct ClpSolverTests {
    let tolerance = 1e-6

    func expectClose(_ actual: [Double], _ expected: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(actual, expected) {
            #expect(isClose(a, e, relative: tolerance), "\(actual) ≠ \(expected)", sourceLocation: sourceLocation)
        }
    }

    /// Hillier & Lieberman's Wyndor Glass problem: max 3x + 5y s.t. x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18,
    /// x, y ≥ 0. Optimum x = 2, y = 6, value 36; textbook shadow prices (0, 1.5, 1).
    /// Posed to Clp as min −3x − 5y: objective −36 and row duals (0, −1.5, −1) — Clp reports
    /// ∂(min objective)/∂bᵢ, so the shadow prices of the maximisation are the negated duals
    /// (scipy's `ineqlin.marginals` agree: [−0, −1.5, −1]).
    @Test func wyndorGlass() throws {
        let lp = LinearProgram(
            objective: [-3, -5],
            constraints: try SparseMatrix(dense: [[1, 0], [0, 2], [3, 2]]),
            rowLower: [-.infinity, -.infinity, -.infinity], rowUpper: [4, 12, 18])
        let s = try ClpSolver().solve(lp).requireOptimal()
        expectClose(s.x, [2, 6])
        #expect(isClose(s.objective, -36, relative: tolerance))
        expectClose(s.rowActivities, [2, 12, 18])
        expectClose(s.rowDuals, [0, -1.5, -1])
        expectClose(s.rowDuals.map { -$0 }, [0, 1.5, 1])
        // Both columns are basic: zero reduced costs (c − Aᵀy = (−3 + 3, −5 + 2·1.5 + 2)).
        expectClose(s.reducedCosts, [0, 0])
    }

    /// Balanced transportation: supplies (30, 20), demands (10, 25, 15), unit costs
    /// [8 6 10; 9 12 13]. With two sources, shipping x₁ⱼ from source 1 leaves dⱼ − x₁ⱼ for
    /// source 2, so cost = Σ c₂ⱼdⱼ + Σ (c₁ⱼ − c₂ⱼ)x₁ⱼ = 585 + (−1, −6, −3)·x₁ with Σx₁ⱼ = 30,
    /// 0 ≤ x₁ⱼ ≤ dⱼ: fill the most negative differences first — x₁ = (0, 25, 5), cost
    /// 585 − 150 − 15 = 420 (scipy: 420).
    @Test func transportation() throws {
        let supply: [Double] = [30, 20], demand: [Double] = [10, 25, 15]
        let cost: [[Double]] = [[8, 6, 10], [9, 12, 13]]
        // Column k = 3i + j ships from source i to destination j; rows 0–1 supply, 2–4 demand.
        var entries: [SparseMatrix.Entry] = []
        for i in 0..<2 {
            for j in 0..<3 {
                entries.append(.init(row: i, column: 3 * i + j, value: 1))
                entries.append(.init(row: 2 + j, column: 3 * i + j, value: 1))
            }
        }
        let rhs = supply + demand
        let lp = LinearProgram(
            objective: cost.flatMap { $0 },
            constraints: try SparseMatrix(rows: 5, columns: 6, entries: entries),
            rowLower: rhs, rowUpper: rhs)
        let s = try ClpSolver().solve(lp).requireOptimal()
        #expect(isClose(s.objective, 420, relative: tolerance))
        expectClose(s.x, [0, 25, 5, 10, 0, 10])
        expectClose(s.rowActivities, rhs)
    }

    @Test func infeasibleIsReported() throws {
        // x + y ≤ 1 and x + y ≥ 3 cannot both hold.
        let lp = LinearProgram(
            objective: [1, 1], constraints: try SparseMatrix(dense: [[1, 1], [1, 1]]),
            rowLower: [-.infinity, 3], rowUpper: [1, .infinity])
        let s = try ClpSolver().solve(lp)
        #expect(s.status == .infeasible)
        #expect(throws: OptimizationError(.notOptimal, solver: "Clp", status: .infeasible)) { try s.requireOptimal() }
    }

    @Test func unboundedIsReported() throws {
        // min −x s.t. x − y ≤ 1, x, y ≥ 0: let x = y → ∞.
        let lp = LinearProgram(
            objective: [-1, 0], constraints: try SparseMatrix(dense: [[1, -1]]),
            rowLower: [-.infinity], rowUpper: [1])
        #expect(try ClpSolver().solve(lp).status == .unbounded)
    }

    @Test func solverIsReusable() throws {
        let solver = ClpSolver()
        let a = try SparseMatrix(dense: [[1, 1]])
        // min x + 2y s.t. x + y ≥ 2 → (2, 0), then with costs swapped → (0, 2).
        let first = try solver.solve(LinearProgram(objective: [1, 2], constraints: a, rowLower: [2], rowUpper: [.infinity]))
        let second = try solver.solve(LinearProgram(objective: [2, 1], constraints: a, rowLower: [2], rowUpper: [.infinity]))
        expectClose(first.x, [2, 0])
        expectClose(second.x, [0, 2])
        // The binding ≥ row has a non-negative dual: raising its bound by one costs 1 more.
        expectClose(second.rowDuals, [1])
    }

    @Test func malformedProblemsAreRejected() throws {
        let a = try SparseMatrix(dense: [[1, 1]])
        let lp = LinearProgram(objective: [1], constraints: a, rowLower: [0], rowUpper: [1])
        #expect(throws: OptimizationError.self) { try ClpSolver().solve(lp) }
        #expect(throws: OptimizationError.self) {
            try SparseMatrix(rows: 1, columns: 1, entries: [.init(row: 1, column: 0, value: 1)])
        }
        let bad = SparseMatrix(rows: 1, columns: 2, columnStarts: [0, 2, 1], rowIndices: [0], values: [1])
        #expect(throws: OptimizationError.self) { try bad.validate() }
    }

    @Test func tripletsAreSummedAndSorted() throws {
        let a = try SparseMatrix(rows: 2, columns: 2, entries: [
            .init(row: 1, column: 1, value: 4), .init(row: 0, column: 1, value: 1),
            .init(row: 1, column: 0, value: 2), .init(row: 0, column: 1, value: 2),
        ])
        #expect(a.columnStarts == [0, 1, 3])
        #expect(a.rowIndices == [1, 0, 1])
        #expect(a.values == [2, 3, 4])
    }
}
