import KeelNumerics

/// A hierarchy of series: `bottomCount` bottom series and `aggregateCount` aggregates, each
/// aggregate the sum of a set of bottom series.
///
/// Rows are ordered aggregates first (level by level), then the bottom series, so the summing
/// matrix is `S = [A; I]` (`A` is `aggregateCount × bottomCount`, 0/1). `S` is never stored
/// densely: `A` is kept twice in compressed form,
/// - by aggregate row (CSR): `members[memberOffsets[i]..<memberOffsets[i + 1]]` are the bottom
///   indices summed by aggregate row `i`;
/// - by bottom column (CSC of `A`): `ancestors[ancestorOffsets[j]..<ancestorOffsets[j + 1]]` are
///   the aggregate rows bottom series `j` contributes to.
/// Memory is O(nnz(A) + n); for a retail panel with `L` aggregate levels nnz(A) = L × bottomCount.
public struct Hierarchy: Sendable, Hashable {
    /// A named level and its rows (a contiguous range of hierarchy rows).
    public struct Level: Sendable, Hashable {
        public var name: String
        public var rows: Range<Int>
    }

    /// One aggregate level given explicitly: `members[r]` are the bottom indices summed by its
    /// row `r`, named `rowIDs[r]`.
    public struct AggregateLevel: Sendable, Hashable {
        public var name: String
        public var rowIDs: [String]
        public var members: [[Int]]
        public init(name: String, rowIDs: [String], members: [[Int]]) {
            self.name = name
            self.rowIDs = rowIDs
            self.members = members
        }
    }

    public let bottomCount: Int
    public let aggregateCount: Int
    /// `aggregateCount + bottomCount`.
    public var count: Int { aggregateCount + bottomCount }
    /// An id per row (aggregates, then bottoms).
    public let rowIDs: [String]
    /// The aggregate levels in the order given, then the level "bottom".
    public let levels: [Level]
    public let memberOffsets: [Int]
    public let members: [Int]
    public let ancestorOffsets: [Int]
    public let ancestors: [Int]

    /// Builds a hierarchy from explicit aggregate levels. Throws `ForecastError.invalidInput` for
    /// a member index out of range, an aggregate row without members, or mismatched id counts.
    /// O(nnz(A) + n).
    public init(bottomIDs: [String], levels aggregateLevels: [AggregateLevel], bottomLevelName: String = "bottom") throws(ForecastError) {
        let nb = bottomIDs.count
        var ids: [String] = [], offsets = [0], flat: [Int] = [], lv: [Level] = []
        for level in aggregateLevels {
            guard level.rowIDs.count == level.members.count else {
                throw .invalidInput("hierarchy level \(level.name): \(level.rowIDs.count) ids for \(level.members.count) rows")
            }
            let start = ids.count
            for (id, m) in zip(level.rowIDs, level.members) {
                guard !m.isEmpty else { throw .invalidInput("hierarchy row \(id) of level \(level.name) has no members") }
                guard m.allSatisfy({ $0 >= 0 && $0 < nb }) else {
                    throw .invalidInput("hierarchy row \(id) of level \(level.name): member index out of 0..<\(nb)")
                }
                ids.append(id)
                flat.append(contentsOf: m)
                offsets.append(flat.count)
            }
            lv.append(Level(name: level.name, rows: start..<ids.count))
        }
        let na = ids.count
        lv.append(Level(name: bottomLevelName, rows: na..<(na + nb)))
        ids.append(contentsOf: bottomIDs)
        // Transpose A: count per bottom, prefix sums, fill.
        var counts = [Int](repeating: 0, count: nb + 1)
        for j in flat { counts[j + 1] += 1 }
        for j in 0..<nb { counts[j + 1] += counts[j] }
        var fill = counts
        var anc = [Int](repeating: 0, count: flat.count)
        for i in 0..<na {
            for k in offsets[i]..<offsets[i + 1] {
                let j = flat[k]
                anc[fill[j]] = i
                fill[j] += 1
            }
        }
        bottomCount = nb
        aggregateCount = na
        rowIDs = ids
        levels = lv
        memberOffsets = offsets
        members = flat
        ancestorOffsets = counts
        ancestors = anc
    }

    /// The bottom indices summed by aggregate row `i` (`i < aggregateCount`).
    @inlinable public func members(ofAggregate i: Int) -> ArraySlice<Int> {
        members[memberOffsets[i]..<memberOffsets[i + 1]]
    }

    /// The aggregate rows bottom series `j` contributes to.
    @inlinable public func ancestors(ofBottom j: Int) -> ArraySlice<Int> {
        ancestors[ancestorOffsets[j]..<ancestorOffsets[j + 1]]
    }

    /// The number of bottom series under each row (`S·1`): the `wls_struct` weights.
    public var bottomCounts: [Double] {
        (0..<aggregateCount).map { Double(memberOffsets[$0 + 1] - memberOffsets[$0]) }
            + [Double](repeating: 1, count: bottomCount)
    }

    /// `S·b` for every column of `bottom` (`bottomCount × k`): the coherent `count × k` matrix
    /// whose aggregates are the sums of the bottoms. O(nnz(A) × k). NaN propagates to every
    /// aggregate containing it.
    public func aggregate(_ bottom: Matrix) -> Matrix {
        precondition(bottom.rows == bottomCount, "Hierarchy.aggregate: \(bottom.rows) rows for \(bottomCount) bottom series")
        let n = count, na = aggregateCount, nb = bottomCount
        var out = Matrix(rows: n, columns: bottom.columns)
        bottom.storage.withUnsafeBufferPointer { b in
            out.storage.withUnsafeMutableBufferPointer { o in
                ancestors.withUnsafeBufferPointer { anc in
                    for c in 0..<bottom.columns {
                        let bc = c * nb, oc = c * n
                        for j in 0..<nb {
                            let v = b[bc + j]
                            o[oc + na + j] = v
                            for k in ancestorOffsets[j]..<ancestorOffsets[j + 1] { o[oc + anc[k]] += v }
                        }
                    }
                }
            }
        }
        return out
    }

    /// `S·b` for one bottom vector.
    public func aggregate(_ bottom: [Double]) -> [Double] {
        aggregate(Matrix(column: bottom)).storage
    }

    /// The sum of the bottom `series` under aggregate row `i` (or the series itself for a bottom
    /// row), element by element; all series must have the same length. O(members × length).
    public func rowSeries(_ i: Int, bottomSeries series: [[Double]]) -> [Double] {
        if i >= aggregateCount { return series[i - aggregateCount] }
        let m = members(ofAggregate: i)
        var out = series[m.first!]
        for j in m.dropFirst() {
            let s = series[j]
            precondition(s.count == out.count, "Hierarchy.rowSeries: series of different lengths")
            for t in 0..<out.count { out[t] += s[t] }
        }
        return out
    }

    /// The dense summing matrix `S` (`count × bottomCount`). For tests and small hierarchies only:
    /// O(count × bottomCount) memory.
    public var denseSummingMatrix: Matrix {
        var s = Matrix(rows: count, columns: bottomCount)
        for i in 0..<aggregateCount { for j in members(ofAggregate: i) { s[i, j] = 1 } }
        for j in 0..<bottomCount { s[aggregateCount + j, j] = 1 }
        return s
    }
}
