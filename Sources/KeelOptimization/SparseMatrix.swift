/// A sparse matrix in compressed sparse column (CSC) form — the layout Clp and Cbc load directly.
///
/// Column `j`'s nonzeros are `values[columnStarts[j]..<columnStarts[j + 1]]`, in the rows given
/// by the same slice of `rowIndices`. `columnStarts` has `columns + 1` entries, starting at 0.
public struct SparseMatrix: Sendable, Hashable {
    public let rows: Int
    public let columns: Int
    public private(set) var columnStarts: [Int32]
    public private(set) var rowIndices: [Int32]
    public private(set) var values: [Double]

    /// One nonzero `A[row, column] = value`.
    public struct Entry: Sendable, Hashable {
        public var row: Int
        public var column: Int
        public var value: Double
        public init(row: Int, column: Int, value: Double) {
            self.row = row
            self.column = column
            self.value = value
        }
    }

    /// Wraps CSC arrays as given; they are checked by `validate()` (and by the solvers).
    public init(rows: Int, columns: Int, columnStarts: [Int32], rowIndices: [Int32], values: [Double]) {
        self.rows = rows
        self.columns = columns
        self.columnStarts = columnStarts
        self.rowIndices = rowIndices
        self.values = values
    }

    /// Builds CSC from triplets in any order; duplicates are summed (row order within a column
    /// is ascending). O(nnz log nnz). Throws `.invalidProblem` for an index out of range.
    public init(rows: Int, columns: Int, entries: [Entry]) throws(OptimizationError) {
        for e in entries where !(0..<rows).contains(e.row) || !(0..<columns).contains(e.column) {
            throw .invalid("entry (\(e.row), \(e.column)) outside \(rows)×\(columns)")
        }
        let sorted = entries.sorted { ($0.column, $0.row) < ($1.column, $1.row) }
        var starts = [Int32](repeating: 0, count: columns + 1)
        var index: [Int32] = [], value: [Double] = []
        index.reserveCapacity(sorted.count)
        value.reserveCapacity(sorted.count)
        var last: (Int, Int)? = nil
        for e in sorted {
            if let last, last == (e.column, e.row) {
                value[value.count - 1] += e.value
            } else {
                index.append(Int32(e.row))
                value.append(e.value)
                starts[e.column + 1] += 1
            }
            last = (e.column, e.row)
        }
        for j in 0..<columns { starts[j + 1] += starts[j] }
        self.init(rows: rows, columns: columns, columnStarts: starts, rowIndices: index, values: value)
    }

    /// From dense rows as written on paper (zeros dropped): handy for small models and tests.
    public init(dense: [[Double]]) throws(OptimizationError) {
        let columns = dense.first?.count ?? 0
        var entries: [Entry] = []
        for (i, row) in dense.enumerated() {
            guard row.count == columns else { throw .invalid("ragged dense matrix") }
            for (j, v) in row.enumerated() where v != 0 { entries.append(Entry(row: i, column: j, value: v)) }
        }
        try self.init(rows: dense.count, columns: columns, entries: entries)
    }

    /// Number of stored nonzeros.
    public var nonzeroCount: Int { values.count }

    /// Checks the CSC invariants: `columns + 1` starts from 0, non-decreasing, ending at the
    /// nonzero count; row indices in range; finite values. O(nnz).
    public func validate() throws(OptimizationError) {
        guard rows >= 0, columns >= 0, columnStarts.count == columns + 1, columnStarts.first == 0,
              Int(columnStarts[columns]) == values.count, rowIndices.count == values.count
        else { throw .invalid("malformed CSC arrays for \(rows)×\(columns)") }
        for j in 0..<columns where columnStarts[j] > columnStarts[j + 1] {
            throw .invalid("column starts decrease at column \(j)")
        }
        for (k, r) in rowIndices.enumerated() where r < 0 || Int(r) >= rows {
            throw .invalid("row index \(r) at nonzero \(k) outside \(rows) rows")
        }
        if let k = values.firstIndex(where: { !$0.isFinite }) { throw .invalid("non-finite coefficient at nonzero \(k)") }
    }
}
