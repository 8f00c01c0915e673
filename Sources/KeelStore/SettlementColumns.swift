import GRDB
import KeelCore

/// The settlements settled on or before a day as columns, read in one table scan, each joined to
/// its sale by a binary search over `SalesColumns`' sorted transaction ids (no SQL join, no sort).
public struct SettlementColumns: Sendable {
    public private(set) var count = 0
    /// The sale's transaction index in the `SalesColumns` it was loaded against; −1 when no
    /// sales line names the transaction.
    public private(set) var transaction: [Int32] = []
    public private(set) var amount: [Double] = []
    public private(set) var fee: [Double] = []
    public private(set) var settledTs: [Int64] = []
    public private(set) var settledDay: [Int32] = []
    private var settlementIds = PackedStrings()
    private var transactionIds = PackedStrings()

    public init() {}

    public func settlementId(_ i: Int) -> String { settlementIds[i] }
    public func transactionId(_ i: Int) -> String { transactionIds[i] }

    public static func load(_ db: Database, through day: Day, sales: SalesColumns) throws -> SettlementColumns {
        var s = SettlementColumns()
        let stmt = try RawStatement(
            db, "SELECT settlement_id, transaction_id, amount, fee, settled_ts, settled_day FROM settlements WHERE settled_day <= ?")
        stmt.bind(1, Int64(day.rawValue))
        while try stmt.step() {
            s.settlementIds.append(stmt.blob(0))
            let txn = stmt.blob(1)
            s.transactionIds.append(txn)
            s.transaction.append(Int32(sales.transactionIndex(of: txn) ?? -1))
            s.amount.append(stmt.double(2))
            s.fee.append(stmt.double(3))
            s.settledTs.append(stmt.int64(4))
            s.settledDay.append(Int32(truncatingIfNeeded: stmt.int64(5)))
            s.count += 1
        }
        return s
    }
}

/// Strings kept as one byte buffer plus offsets (no object per string).
struct PackedStrings: Sendable {
    var bytes: [UInt8] = []
    var offsets: [Int32] = [0]

    mutating func append(_ b: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: b.bindMemory(to: UInt8.self))
        offsets.append(Int32(bytes.count))
    }

    subscript(i: Int) -> String { String(decoding: bytes[Int(offsets[i])..<Int(offsets[i + 1])], as: UTF8.self) }
}
