import Foundation
import KeelForecast
import KeelNumerics
import Testing

/// The fixture written by `Scripts/fixtures/reconciliation_reference.py` (hierarchicalforecast).
private struct Reference: Decodable {
    var source: String
    var rowIDs: [String]
    var members: [[Int]]
    var base: [[Double]]
    var residuals: [[Double]]
    var results: [String: [[Double]]]
}

private let reference: Reference = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reconciliation_reference.json")
    return try! JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
}()

private func matrix(_ rows: [[Double]]) -> Matrix { Matrix(rows) }

private func hierarchy() throws -> Hierarchy {
    let r = reference
    return try Hierarchy(bottomIDs: Array(r.rowIDs[7...]), levels: [
        .init(name: "total", rowIDs: [r.rowIDs[0]], members: [r.members[0]]),
        .init(name: "category", rowIDs: Array(r.rowIDs[1...2]), members: Array(r.members[1...2])),
        .init(name: "department", rowIDs: Array(r.rowIDs[3...6]), members: Array(r.members[3...6])),
    ])
}

private func maxRelativeError(_ a: Matrix, _ b: [[Double]]) -> Double {
    var worst = 0.0
    for i in 0..<a.rows { for c in 0..<a.columns { worst = max(worst, abs(a[i, c] - b[i][c]) / max(1, abs(b[i][c]))) } }
    return worst
}

/// The largest |aggregate − Σ its bottoms| relative to max(1, |aggregate|).
private func coherenceGap(_ y: Matrix, _ h: Hierarchy) -> Double {
    var worst = 0.0
    for c in 0..<y.columns {
        for p in 0..<h.aggregateCount {
            let s = h.members(ofAggregate: p).reduce(0) { $0 + y[h.aggregateCount + $1, c] }
            worst = max(worst, abs(y[p, c] - s) / max(1, abs(y[p, c])))
        }
    }
    return worst
}

@Suite struct ReconciliationReferenceTests {
    /// Closed-form methods against hierarchicalforecast: 1e-8 relative (observed ~1e-14).
    @Test(arguments: [
        ("bottomUp", ReconciliationMethod.bottomUp),
        ("topDown", .topDownForecastProportions),
        ("ols", .minTrace(.ols)),
        ("wls_struct", .minTrace(.wlsStructural)),
        ("wls_var", .minTrace(.wlsVariance)),
        ("mint_shrink", .minTrace(.shrink())),
        ("mint_shrink_nonnegative_exact", .minTrace(.shrink(), nonnegative: true)),
    ])
    func matchesReference(name: String, method: ReconciliationMethod) throws {
        let h = try hierarchy()
        let y = try Reconciler(h).reconcile(matrix(reference.base), method: method, residuals: matrix(reference.residuals))
        #expect(maxRelativeError(y, reference.results[name]!) < 1e-8, "\(name)")
        #expect(coherenceGap(y, h) < 1e-9)
    }

    /// hierarchicalforecast's own non-negative MinT solves the QP with clarabel and casts the
    /// bottoms to float32: agreement to 1e-6 absolute (observed ~2e-7). The exact
    /// active-set enumeration in the fixture is held to 1e-8 above.
    @Test(arguments: [("ols_nonnegative", MinTraceCovariance.ols), ("mint_shrink_nonnegative", .shrink())])
    func nonnegativeMatchesClarabel(name: String, covariance: MinTraceCovariance) throws {
        let h = try hierarchy()
        let y = try Reconciler(h).minTrace(matrix(reference.base), covariance: covariance, residuals: matrix(reference.residuals), nonnegative: true)
        let ref = reference.results[name]!
        for i in 0..<y.rows { for c in 0..<y.columns { #expect(abs(y[i, c] - ref[i][c]) < 1e-6) } }
        #expect(y.storage.allSatisfy { $0 >= 0 })
        #expect(coherenceGap(y, h) < 1e-9)
    }

    @Test func unconstrainedShrinkHasNegativesSoTheQPIsExercised() throws {
        let y = try Reconciler(hierarchy()).minTrace(matrix(reference.base), covariance: .shrink(), residuals: matrix(reference.residuals))
        #expect(y.storage.contains { $0 < 0 })
    }
}

@Suite struct ReconciliationPropertyTests {
    private func retail(_ skus: Int) throws -> Hierarchy {
        var labels: [[HierarchyAttribute: String]] = []
        for s in 0..<skus {
            for loc in 0..<4 {
                labels.append([.sku: "s\(s)", .department: "d\(s % 5)", .category: "c\(s % 5 % 2)",
                               .location: "l\(loc)", .region: "r\(loc / 2)", .channel: loc == 3 ? "online" : "store"])
            }
        }
        return try Hierarchy(labels: labels, levels: HierarchyLevel.retail)
    }

    private func noisyBase(_ h: Hierarchy, steps: Int, seed: UInt64) -> Matrix {
        var state = seed
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        let bottoms = Matrix(rows: h.bottomCount, columns: steps, columnMajor: (0..<(h.bottomCount * steps)).map { _ in 5 * uniform() })
        var y = h.aggregate(bottoms)
        for k in y.storage.indices { y.storage[k] += 4 * (uniform() - 0.5) }
        return y
    }

    @Test func labelsBuildTheRetailLevels() throws {
        let h = try retail(10)
        #expect(h.bottomCount == 40)
        #expect(h.levels.map(\.name) == ["total", "category", "department", "region", "location", "channel", "bottom"])
        #expect(h.levels.map(\.rows.count) == [1, 2, 5, 2, 4, 2, 40])
        #expect(h.ancestors(ofBottom: 0).count == 6)
    }

    @Test(arguments: [
        ReconciliationMethod.bottomUp, .minTrace(.ols), .minTrace(.wlsStructural),
        .minTrace(.ols, nonnegative: true), .minTrace(.wlsStructural, nonnegative: true),
    ])
    func coherentAndNonnegative(method: ReconciliationMethod) throws {
        let h = try retail(10)
        var base = noisyBase(h, steps: 4, seed: 7)
        for k in stride(from: 0, to: base.storage.count, by: 3) { base.storage[k] -= 6 }  // force negatives
        let y = try Reconciler(h).reconcile(base, method: method)
        #expect(coherenceGap(y, h) < 1e-9)
        if case .minTrace(_, true) = method { #expect(y.storage.allSatisfy { $0 >= 0 }) }
    }

    @Test func topDownOnTheProductTree() throws {
        var labels: [[HierarchyAttribute: String]] = []
        for s in 0..<12 { labels.append([.sku: "s\(s)", .department: "d\(s % 4)", .category: "c\(s % 4 % 2)"]) }
        let h = try Hierarchy(labels: labels, levels: HierarchyLevel.productTree)
        let base = noisyBase(h, steps: 3, seed: 3)
        let y = try Reconciler(h).topDown(base)
        #expect(coherenceGap(y, h) < 1e-9)
        for c in 0..<3 { #expect(abs(y[0, c] - base[0, c]) < 1e-9 * max(1, abs(base[0, c]))) }
        // Crossed levels are not a strict hierarchy.
        #expect(throws: ForecastError.self) { try Reconciler(try retail(3)).topDown(noisyBase(try retail(3), steps: 1, seed: 1)) }
    }

    @Test func bottomUpAndMinTOfCoherentForecastsAreTheIdentity() throws {
        let h = try retail(10)
        let coherent = try Reconciler(h).bottomUp(noisyBase(h, steps: 2, seed: 11))
        for method in [ReconciliationMethod.bottomUp, .minTrace(.ols), .minTrace(.wlsStructural)] {
            let y = try Reconciler(h).reconcile(coherent, method: method)
            #expect(maxRelativeError(y, (0..<y.rows).map { coherent.row($0) }) < 1e-9)
        }
    }

    /// The conjugate-gradient path (used above `denseLimit` aggregates) agrees with Cholesky.
    @Test func conjugateGradientMatchesCholesky() throws {
        let h = try retail(10)
        let base = noisyBase(h, steps: 3, seed: 5)
        let r = Reconciler(h)
        for w in [MinTraceCovariance.ols, .wlsStructural] {
            let direct = try r.minTrace(base, covariance: w)
            let iterative = try r.minTrace(base, covariance: w, denseLimit: 0)
            #expect(maxRelativeError(iterative, (0..<direct.rows).map { direct.row($0) }) < 1e-9)
        }
    }
}
