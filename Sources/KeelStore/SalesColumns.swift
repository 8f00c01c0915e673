import Foundation
import GRDB
import GRDBSQLite
import KeelCore

/// Every sales line as contiguous columns, read in ONE pass over the `sales` table (primary-key
/// order, so the lines of a transaction are adjacent) with the raw statement API: no per-row
/// objects, text columns interned to small integers.
///
/// Lines are numbered `0..<count`; transactions `0..<transactionCount` in transaction-id order
/// (SQLite's BINARY collation, i.e. byte order), each a contiguous range of lines
/// (`transactionLines(t)`). Text ids are kept once: transaction ids as one byte buffer with
/// offsets, customers/cashiers/promotions/tenders as tables indexed by their code (−1 = NULL).
public struct SalesColumns: Sendable {
    public private(set) var count = 0
    /// Per line.
    public private(set) var transaction: [Int32] = []
    public private(set) var line: [Int32] = []
    public private(set) var day: [Int32] = []
    /// `Channel.code`, or 255 for an unknown channel text.
    public private(set) var channel: [UInt8] = []
    public private(set) var location: [Int32] = []
    public private(set) var item: [Int32] = []
    public private(set) var qty: [Double] = []
    public private(set) var unitPrice: [Double] = []
    public private(set) var discount: [Double] = []
    public private(set) var promo: [Int32] = []
    public private(set) var customer: [Int32] = []
    public private(set) var cashier: [Int32] = []
    public private(set) var tender: [Int32] = []
    /// Per transaction: its first line; `transactionStart[t + 1]` ends it.
    public private(set) var transactionStart: [Int32] = [0]
    /// Transaction ids, packed: id t is `idBytes[idOffsets[t] ..< idOffsets[t + 1]]`.
    private var idBytes: [UInt8] = []
    private var idOffsets: [Int32] = [0]
    /// Interned text columns.
    public private(set) var promoIds: [String] = []
    public private(set) var customerIds: [String] = []
    public private(set) var cashierIds: [String] = []
    public private(set) var tenders: [String] = []

    public init() {}

    public var transactionCount: Int { transactionStart.count - 1 }
    @inlinable public func transactionLines(_ t: Int) -> Range<Int> { Int(transactionStart[t])..<Int(transactionStart[t + 1]) }
    public func transactionId(_ t: Int) -> String {
        String(decoding: idBytes[Int(idOffsets[t])..<Int(idOffsets[t + 1])], as: UTF8.self)
    }
    /// Compares transaction `t`'s id with `bytes` in SQLite's BINARY order (memcmp, then length).
    public func compareTransactionId(_ t: Int, _ bytes: UnsafeRawBufferPointer) -> Int {
        let a = Int(idOffsets[t]), n = Int(idOffsets[t + 1]) - a
        return idBytes.withUnsafeBytes { all in
            let m = min(n, bytes.count)
            let c = m == 0 ? 0 : memcmp(all.baseAddress! + a, bytes.baseAddress!, m)
            if c != 0 { return Int(c) }
            return n - bytes.count
        }
    }

    /// The transaction whose id is `bytes` (binary search over the sorted ids), or nil.
    public func transactionIndex(of bytes: UnsafeRawBufferPointer) -> Int? {
        var lo = 0, hi = transactionCount
        while lo < hi {
            let mid = (lo + hi) / 2
            let c = compareTransactionId(mid, bytes)
            if c == 0 { return mid }
            if c < 0 { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// Reads every sales line.
    public static func load(_ db: Database) throws -> SalesColumns {
        var s = SalesColumns()
        let n = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sales") ?? 0
        s.transaction.reserveCapacity(n); s.line.reserveCapacity(n); s.day.reserveCapacity(n)
        s.channel.reserveCapacity(n); s.location.reserveCapacity(n); s.item.reserveCapacity(n)
        s.qty.reserveCapacity(n); s.unitPrice.reserveCapacity(n); s.discount.reserveCapacity(n)
        s.promo.reserveCapacity(n); s.customer.reserveCapacity(n); s.cashier.reserveCapacity(n); s.tender.reserveCapacity(n)
        s.idBytes.reserveCapacity(n * 9)
        let stmt = try RawStatement(
            db,
            """
            SELECT transaction_id, line, day, channel, location_key, item_key, qty, unit_price, discount,
                   promo_id, customer_id, cashier_id, tender
            FROM sales ORDER BY transaction_id, line
            """)
        var promos = Interner(), customers = Interner(), cashiers = Interner(), tenders = Interner()
        var channelText = Interner()
        var channelCodes: [UInt8] = []
        var lastId: [UInt8] = []
        var hasLast = false
        while try stmt.step() {
            let id = stmt.blob(0)
            if !hasLast || !equal(id, lastId) {
                if hasLast { s.transactionStart.append(Int32(s.count)) }
                lastId.removeAll(keepingCapacity: true)
                lastId.append(contentsOf: id.bindMemory(to: UInt8.self))
                s.idBytes.append(contentsOf: lastId)
                s.idOffsets.append(Int32(s.idBytes.count))
                hasLast = true
            }
            s.transaction.append(Int32(s.idOffsets.count - 2))
            s.line.append(Int32(truncatingIfNeeded: stmt.int64(1)))
            s.day.append(Int32(truncatingIfNeeded: stmt.int64(2)))
            let ch = channelText.code(stmt, 3)
            if Int(ch) >= channelCodes.count {
                let name = channelText.strings[Int(ch)]
                channelCodes.append(UInt8(Channel(rawValue: name)?.code ?? 255))
            }
            s.channel.append(channelCodes[Int(ch)])
            s.location.append(Int32(truncatingIfNeeded: stmt.int64(4)))
            s.item.append(Int32(truncatingIfNeeded: stmt.int64(5)))
            s.qty.append(stmt.double(6))
            s.unitPrice.append(stmt.double(7))
            s.discount.append(stmt.double(8))
            s.promo.append(promos.code(stmt, 9))
            s.customer.append(customers.code(stmt, 10))
            s.cashier.append(cashiers.code(stmt, 11))
            s.tender.append(tenders.code(stmt, 12))
            s.count += 1
        }
        if hasLast { s.transactionStart.append(Int32(s.count)) }
        s.promoIds = promos.strings; s.customerIds = customers.strings
        s.cashierIds = cashiers.strings; s.tenders = tenders.strings
        return s
    }

    @inline(__always) static func equal(_ a: UnsafeRawBufferPointer, _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return b.withUnsafeBytes { bb in a.count == 0 || memcmp(a.baseAddress!, bb.baseAddress!, a.count) == 0 }
    }

    /// Interns a text column: the previous row's value is compared first (ids repeat within a
    /// transaction), so the dictionary is consulted only when the value changes.
    struct Interner {
        var strings: [String] = []
        var index: [String: Int32] = [:]
        var last: [UInt8] = []
        var lastCode: Int32 = -1
        var hasLast = false

        mutating func code(_ stmt: RawStatement, _ col: Int32) -> Int32 {
            if stmt.isNull(col) { return -1 }
            let bytes = stmt.blob(col)
            if hasLast && SalesColumns.equal(bytes, last) { return lastCode }
            last.removeAll(keepingCapacity: true)
            last.append(contentsOf: bytes.bindMemory(to: UInt8.self))
            hasLast = true
            let text = String(decoding: last, as: UTF8.self)
            if let c = index[text] { lastCode = c; return c }
            let c = Int32(strings.count)
            strings.append(text)
            index[text] = c
            lastCode = c
            return c
        }
    }
}
