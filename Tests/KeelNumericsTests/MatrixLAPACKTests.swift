import KeelNumerics
import KeelTestSupport
import Testing

/// LAPACK wrappers against reference values worked out by hand and cross-checked once with
/// numpy 2.4 (`np.linalg.solve`, `np.linalg.lstsq`, `np.linalg.eigvalsh`). Tolerance: relative
/// 1e-10 — these systems have condition numbers below 1e3, so LAPACK is accurate to ~1e-13.
@Suite struct MatrixLAPACKTests {
    let tolerance = 1e-10

    func expectClose(_ actual: [Double], _ expected: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (x, e) in zip(actual, expected) {
            #expect(isClose(x, e, relative: tolerance), "\(actual) ≠ \(expected)", sourceLocation: sourceLocation)
        }
    }

    /// Wikipedia's Cholesky example: A = LLᵀ with L = [2 0 0; 6 1 0; −8 5 3]. With x = (1, 2, 3),
    /// b = A·x = (−20, −43, 192) by hand.
    let spd = Matrix([[4, 12, -16], [12, 37, -43], [-16, -43, 98]])

    @Test func choleskySolveSPD() throws {
        expectClose(try spd.choleskySolve([-20, -43, 192]), [1, 2, 3])
    }

    @Test func generalSolve() throws {
        // [0 2 1; 1 0 0; 3 1 1]·(1, 2, 3) = (7, 1, 8): needs pivoting (zero in the corner).
        let a = Matrix([[0, 2, 1], [1, 0, 0], [3, 1, 1]])
        expectClose(try a.solve([7, 1, 8]), [1, 2, 3])
        expectClose(try spd.solve([-20, -43, 192]), [1, 2, 3])
    }

    @Test func singularMatrixReportsRoutineAndInfo() {
        // Rank 1: LU gives U(2, 2) = 0 exactly, so dgesv returns info = 2.
        let singular = Matrix([[1, 2], [2, 4]])
        #expect(throws: NumericsError(.singular, routine: "dgesv", info: 2)) { try singular.solve([1, 2]) }
        do {
            _ = try singular.solve([1, 2])
            Issue.record("expected a throw")
        } catch {
            #expect(error.routine == "dgesv" && error.info > 0 && error.kind == .singular)
        }
    }

    @Test func indefiniteMatrixIsNotPositiveDefinite() {
        // [1 2; 2 1] has eigenvalues 3 and −1: Cholesky fails at the second minor (info = 2).
        #expect(throws: NumericsError(.notPositiveDefinite, routine: "dposv", info: 2)) {
            try Matrix([[1, 2], [2, 1]]).choleskySolve([1, 1])
        }
    }

    @Test func shapeMismatchIsAnError() {
        #expect(throws: NumericsError.self) { try spd.solve([1, 2]) }
        #expect(throws: NumericsError.self) { try Matrix.ridge(spd, [1], lambda: 1) }
    }

    /// Line fit y = β₀ + β₁x through (1, 2.2), (2, 2.8), (3, 3.6), (4, 4.5), (5, 5.1).
    /// By hand: x̄ = 3, ȳ = 3.64, Sxy = 7.5, Sxx = 10, so β₁ = 0.75, β₀ = 3.64 − 2.25 = 1.39.
    let design = Matrix([[1, 1], [1, 2], [1, 3], [1, 4], [1, 5]])
    let response = [2.2, 2.8, 3.6, 4.5, 5.1]

    @Test func leastSquaresLineFit() throws {
        expectClose(try design.leastSquares(response), [1.39, 0.75])
        let rr = try design.minimumNormLeastSquares(Matrix(column: response))
        #expect(rr.rank == 2)
        expectClose(rr.solution.storage, [1.39, 0.75])
    }

    @Test func rankDeficientLeastSquares() throws {
        // Two identical columns x = (1, 2, 3), y = 2x: every β with β₁ + β₂ = 2 fits exactly; the
        // minimum-norm one is (1, 1). Singular values √28 and 0 (numpy: 5.2915026, 7e−16).
        let a = Matrix([[1, 1], [2, 2], [3, 3]])
        let rr = try a.minimumNormLeastSquares(Matrix(column: [2, 4, 6]))
        #expect(rr.rank == 1)
        expectClose(rr.solution.storage, [1, 1])
        #expect(isClose(rr.singularValues[0], 28.0.squareRoot(), relative: tolerance))
        // Underdetermined x₁ + x₂ = 2: both routines give the minimum-norm solution (1, 1).
        expectClose(try Matrix([[1, 1]]).leastSquares([2]), [1, 1])
        expectClose(try Matrix([[1, 1]]).minimumNormLeastSquares(Matrix(column: [2])).solution.storage, [1, 1])
        // dgels needs full rank: a zero column makes R(2, 2) exactly 0, so info = 2.
        let zeroColumn = Matrix([[1, 0], [2, 0], [3, 0]])
        #expect(throws: NumericsError(.singular, routine: "dgels", info: 2)) { try zeroColumn.leastSquares([1, 2, 3]) }
    }

    /// Ridge with orthogonal columns has the closed form βⱼ = xⱼᵀy / (‖xⱼ‖² + λⱼ).
    /// X = [1 x] with centred x = (−2, −1, 0, 1, 2), y = (1, 3, 2, 5, 4): 1ᵀy = 15, ‖1‖² = 5,
    /// xᵀy = 8, ‖x‖² = 10. With λ = 2: penalised intercept 15/7, slope 8/12; unpenalised
    /// intercept 15/5 = 3 (= ȳ). numpy's solve of (XᵀX + λD)β = Xᵀy agrees.
    @Test func ridgeClosedForm() throws {
        let x = Matrix([[1, -2], [1, -1], [1, 0], [1, 1], [1, 2]])
        let y: [Double] = [1, 3, 2, 5, 4]
        expectClose(try Matrix.ridge(x, y, lambda: 2), [15.0 / 7, 8.0 / 12])
        expectClose(try Matrix.ridge(x, y, lambda: 2, unpenalizedColumn: 0), [3, 8.0 / 12])
        // λ = 0 is ordinary least squares: slope 8/10.
        expectClose(try Matrix.ridge(x, y, lambda: 0), [3, 0.8])
        #expect(throws: NumericsError.self) { try Matrix.ridge(x, y, lambda: -1) }
    }

    /// The tridiagonal [2 1 0; 1 2 1; 0 1 2] has eigenvalues 2 − √2, 2, 2 + √2 (2 + 2cos(kπ/4)).
    @Test func symmetricEigenvalues() throws {
        let a = Matrix([[2, 1, 0], [1, 2, 1], [0, 1, 2]])
        let eig = try a.symmetricEigen()
        expectClose(eig.values, [2 - 2.0.squareRoot(), 2, 2 + 2.0.squareRoot()])
        // A·V = V·diag(λ) and VᵀV = I, to 1e-12 absolute.
        let av = a * eig.vectors
        let vtv = eig.vectors.multiplied(by: eig.vectors, transposeSelf: true)
        for i in 0..<3 {
            for j in 0..<3 {
                #expect(abs(av[i, j] - eig.vectors[i, j] * eig.values[j]) < 1e-12)
                #expect(abs(vtv[i, j] - (i == j ? 1 : 0)) < 1e-12)
            }
        }
    }
}
