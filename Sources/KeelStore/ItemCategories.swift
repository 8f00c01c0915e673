import GRDB

extension KeelDatabase {
    /// item key → category, for every item.
    public func itemCategories() throws -> [Int64: String] { try itemLabels("category") }

    /// item key → department, for every item.
    public func itemDepartments() throws -> [Int64: String] { try itemLabels("department") }

    private func itemLabels(_ column: String) throws -> [Int64: String] {
        try pool.read { db in
            var out: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT item_key, \(column) FROM items") { out[row[0]] = row[1] }
            return out
        }
    }
}
