import GRDB

/// The text ids of the master data mapped to their integer keys, loaded once per imported file
/// (so a folder import sees the items and locations it has just imported).
final class ReferenceTables {
    var items: [String: Int64] = [:]
    var locations: [String: Int64] = [:]
    var suppliers: [String: Int64] = [:]
    var zones: [String: Int64] = [:]
    var promotions = Set<String>()

    init(_ db: Database, for kind: ContractFile.Kind) throws {
        let needed = Set(ContractFile.spec(kind).columns.compactMap { c -> ContractFile.Reference? in
            if case .reference(let r) = c.type { return r } else { return nil }
        })
        if needed.contains(.item) { items = try ReferenceTables.map(db, "SELECT sku, item_key FROM items") }
        if needed.contains(.location) { locations = try ReferenceTables.map(db, "SELECT location_id, location_key FROM locations") }
        if needed.contains(.supplier) { suppliers = try ReferenceTables.map(db, "SELECT supplier_id, supplier_key FROM suppliers") }
        if needed.contains(.zone) { zones = try ReferenceTables.map(db, "SELECT zone, zone_key FROM zones") }
        if needed.contains(.promotion) { promotions = Set(try String.fetchAll(db, sql: "SELECT DISTINCT promo_id FROM promotions")) }
    }

    private static func map(_ db: Database, _ sql: String) throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        let rows = try Row.fetchCursor(db, sql: sql)
        while let row = try rows.next() { out[row[0]] = row[1] }
        return out
    }

    @inline(__always) func lookup(_ r: ContractFile.Reference, _ id: String) -> Int64? {
        switch r {
        case .item: return items[id]
        case .location: return locations[id]
        case .supplier: return suppliers[id]
        case .zone: return zones[id]
        case .promotion: return nil
        }
    }
}
