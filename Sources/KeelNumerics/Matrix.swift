/// A dense matrix of `Double` stored column-major in one contiguous buffer.
///
/// Element `(i, j)` lives at `storage[i + j * rows]`, so `storage` is handed to BLAS and LAPACK
/// unchanged with leading dimension `max(1, rows)`. Shape errors (a buffer of the wrong length,
/// an index out of range) are programmer errors and trap, like `Array` subscripts; numerical
/// failures are reported as `NumericsError` by the LAPACK entry points.
public struct Matrix: Sendable, Hashable {
    public let rows: Int
    public let columns: Int
    /// Column-major elements, `rows × columns` of them.
    public var storage: [Double]

    /// A `rows × columns` matrix filled with `value` (zero by default).
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative dimension")
        self.rows = rows
        self.columns = columns
        storage = Array(repeating: value, count: rows * columns)
    }

    /// Wraps a column-major buffer of exactly `rows × columns` elements without copying.
    public init(rows: Int, columns: Int, columnMajor: [Double]) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative dimension")
        precondition(columnMajor.count == rows * columns, "Matrix: \(columnMajor.count) elements for \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        storage = columnMajor
    }

    /// Builds a matrix from its rows, as written on paper: `Matrix([[1, 2], [3, 4]])`.
    /// All rows must have the same length. O(rows × columns).
    public init(_ rowArrays: [[Double]]) {
        let r = rowArrays.count
        let c = rowArrays.first?.count ?? 0
        self.init(rows: r, columns: c)
        for (i, row) in rowArrays.enumerated() {
            precondition(row.count == c, "Matrix: ragged rows")
            for j in 0..<c { storage[i + j * r] = row[j] }
        }
    }

    /// The `n × n` identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i + i * n] = 1 }
        return m
    }

    /// A column vector (`count × 1`) over `values`.
    public init(column values: [Double]) {
        self.init(rows: values.count, columns: 1, columnMajor: values)
    }

    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix: index out of range")
            return storage[row + column * rows]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix: index out of range")
            storage[row + column * rows] = newValue
        }
    }

    /// Column `j` as a contiguous slice of the storage (no copy).
    public func column(_ j: Int) -> ArraySlice<Double> {
        precondition(j >= 0 && j < columns, "Matrix: column out of range")
        return storage[(j * rows)..<((j + 1) * rows)]
    }

    /// Row `i` copied out (strided in storage). O(columns).
    public func row(_ i: Int) -> [Double] {
        precondition(i >= 0 && i < rows, "Matrix: row out of range")
        return (0..<columns).map { storage[i + $0 * rows] }
    }

    /// The transpose, materialised. O(rows × columns).
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { t.storage[j + i * columns] = storage[i + j * rows] }
        }
        return t
    }

    /// Leading dimension for BLAS/LAPACK: `max(1, rows)`.
    @usableFromInline var leadingDimension: Int32 { Int32(Swift.max(1, rows)) }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        (0..<rows).map { i in row(i).map { "\($0)" }.joined(separator: " ") }.joined(separator: "\n")
    }
}
