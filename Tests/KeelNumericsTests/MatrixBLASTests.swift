import KeelNumerics
import KeelTestSupport
import Testing

/// BLAS kernels against products worked out by hand (exact in binary floating point for these
/// small integers, so the tolerance 1e-12 is only a formality).
@Suite struct MatrixBLASTests {
    let a = Matrix([[1, 2, 3], [4, 5, 6]])  // 2×3
    let b = Matrix([[7, 8], [9, 10], [11, 12]])  // 3×2

    func expectClose(_ m: Matrix, _ expected: [[Double]], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(m.rows == expected.count, sourceLocation: sourceLocation)
        for (i, row) in expected.enumerated() {
            #expect(m.columns == row.count, sourceLocation: sourceLocation)
            for (j, value) in row.enumerated() {
                #expect(isClose(m[i, j], value, relative: 1e-12), "(\(i), \(j)): \(m[i, j]) ≠ \(value)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func storageIsColumnMajor() {
        #expect(a.storage == [1, 4, 2, 5, 3, 6])
        #expect(a.transposed.storage == [1, 2, 3, 4, 5, 6])
        #expect(a.column(1) == [2, 5])
        #expect(a.row(1) == [4, 5, 6])
        #expect(Matrix.identity(2) == Matrix([[1, 0], [0, 1]]))
    }

    @Test func gemmProduct() {
        // [1 2 3; 4 5 6]·[7 8; 9 10; 11 12] = [58 64; 139 154] (by hand).
        expectClose(a * b, [[58, 64], [139, 154]])
    }

    @Test func gemmTransposeFlagsAndScaling() {
        // Bᵀ·Aᵀ = (AB)ᵀ = [58 139; 64 154].
        expectClose(b.multiplied(by: a, transposeSelf: true, transposeOther: true), [[58, 139], [64, 154]])
        // C ← 2·AB + 1·C with C = I: [117 128; 278 309].
        var c = Matrix.identity(2)
        Matrix.gemm(a, b, alpha: 2, beta: 1, into: &c)
        expectClose(c, [[117, 128], [278, 309]])
    }

    @Test func gemvBothWays() {
        // A·(1, 1, 1) = (6, 15); Aᵀ·(1, −1) = (−3, −3, −3).
        #expect(a.multiplied(by: [1, 1, 1]) == [6, 15])
        #expect(a.multiplied(by: [1, -1], transpose: true) == [-3, -3, -3])
    }

    @Test func gramIsAtA() {
        // AᵀA for A = [1 2 3; 4 5 6] (by hand): [17 22 27; 22 29 36; 27 36 45], both triangles.
        expectClose(a.gram, [[17, 22, 27], [22, 29, 36], [27, 36, 45]])
        #expect(a.gram == a.multiplied(by: a, transposeSelf: true))
    }

    @Test func dotAndAxpy() {
        #expect(Matrix.dot([1, 2, 3], [4, 5, 6]) == 32)
        var y: [Double] = [1, 1, 1]
        Matrix.axpy(2, [1, 2, 3], &y)
        #expect(y == [3, 5, 7])
    }

    @Test func singleThreadedBLAS() {
        Threading.useSingleThreadedBLAS()
        #expect(Threading.blasThreads == 1)
    }
}
