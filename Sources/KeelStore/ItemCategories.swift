import GRDB

extension KeelDatabase {
    /// item key → category, for every item.
    public func itemCategories() throws -> [Int64: String] {
        try pool.read { db in
            var out: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT item_key, category FROM items") { out[row[0]] = row[1] }
            return out
        }
    }
}
