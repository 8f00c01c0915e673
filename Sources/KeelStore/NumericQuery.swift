import GRDB
import GRDBSQLite

/// A query whose columns are all numbers (integers up to 2^53 or reals), read with the raw
/// statement API into one row-major buffer: no `Row` object per row. NULL reads as NaN.
public struct NumericQuery: Sendable {
    public let columns: Int
    public private(set) var values: [Double] = []

    public var count: Int { columns == 0 ? 0 : values.count / columns }
    @inlinable public subscript(row: Int, column: Int) -> Double { values[row * columns + column] }

    /// Runs `sql` with integer arguments bound in order.
    public init(_ db: Database, _ sql: String, _ arguments: [Int64] = []) throws {
        let stmt = try RawStatement(db, sql)
        for (i, a) in arguments.enumerated() { stmt.bind(Int32(i + 1), a) }
        columns = Int(sqlite3_column_count(stmt.handle))
        while try stmt.step() {
            for c in 0..<Int32(columns) { values.append(stmt.isNull(c) ? .nan : stmt.double(c)) }
        }
    }
}
