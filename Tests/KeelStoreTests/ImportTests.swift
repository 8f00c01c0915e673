import GRDB
import KeelCore
import KeelStore
import KeelTestSupport
import Testing

@Suite struct ImportTests {
    @Test func importsEveryContractFileOfAFolder() throws {
        let dir = TemporaryDirectory()
        TinyRetailer.write(to: dir)
        let db = try KeelDatabase(path: dir.file("keel.sqlite"))
        let report = try db.importFiles([dir.path])
        #expect(report.files.map(\.kind) == ContractFile.Kind.allCases.map(\.rawValue))
        #expect(try db.count("items") == 3)
        #expect(try db.count("sales") == 6)
        #expect(try db.count("inventory_snapshots") == 5)
        #expect(try db.count("runs") == 1)
        // Defaults from the contract: case_pack 1, can_ship_to_customer by type, can_pickup for stores.
        try db.pool.read { (d: Database) throws in
            #expect(try Double.fetchOne(d, sql: "SELECT case_pack FROM items WHERE sku = 'C'") == 1)
            #expect(try Bool.fetchOne(d, sql: "SELECT can_ship_to_customer FROM locations WHERE location_id = 'DC1'") == true)
            #expect(try Bool.fetchOne(d, sql: "SELECT can_ship_to_customer FROM locations WHERE location_id = 'S2'") == false)
            #expect(try Bool.fetchOne(d, sql: "SELECT can_ship_to_customer FROM locations WHERE location_id = 'S1'") == true)
            #expect(try Bool.fetchOne(d, sql: "SELECT can_pickup FROM locations WHERE location_id = 'S2'") == true)
            #expect(try Bool.fetchOne(d, sql: "SELECT can_pickup FROM locations WHERE location_id = 'DC1'") == false)
            #expect(try String.fetchOne(d, sql: "SELECT name FROM items WHERE sku = 'A'") == "Tee, white")
            #expect(try String.fetchOne(d, sql: "SELECT status FROM orders WHERE order_id = 'O9' AND line = 2") == "open")
            // The sale at 23:30 -05:00 belongs to its local day.
            #expect(try String.fetchOne(d, sql: "SELECT date FROM v_sales WHERE transaction_id = 'T2'") == "2026-03-02")
            #expect(try String.fetchOne(d, sql: "SELECT journal_mode FROM pragma_journal_mode") == "wal")
            #expect(try Int.fetchOne(d, sql: "PRAGMA foreign_keys") == 1)
            // The import resolves references itself; the result must still satisfy every foreign key.
            #expect(try Row.fetchAll(d, sql: "PRAGMA foreign_key_check").isEmpty)
        }
    }

    @Test func availableToSellAndInboundSupply() throws {
        let dir = try TinyRetailer.importedDatabase()
        let db = dir.database
        try db.pool.read { (d: Database) throws in
            // DC1/B: on hand 100 − reserved 5 − damaged 2 = 93; 20 in transit.
            let dc = try Row.fetchOne(d, sql: "SELECT available_to_sell, in_transit FROM v_available_to_sell WHERE location_id = 'DC1' AND sku = 'B'")!
            #expect(dc[0] as Double == 93)
            #expect(dc[1] as Double == 20)
            // S1/A: snapshot 4 on 03-04, then the restock return R1 (1 unit, 03-05) → 5.
            #expect(try Double.fetchOne(d, sql: "SELECT on_hand FROM v_available_to_sell WHERE location_id = 'S1' AND sku = 'A'") == 5)
            // Open supply: TR2 (6 × C to S2, shipped 03-05 + lane 2 days) and PO2 (240 × B expected 03-15).
            let inbound = try Row.fetchAll(d, sql: "SELECT source, location_id, sku, qty, expected_arrival FROM v_inbound_supply ORDER BY source")
            #expect(inbound.count == 2)
            #expect(inbound[0][0] as String == "purchase_order"); #expect(inbound[0][3] as Double == 240); #expect(inbound[0][4] as String == "2026-03-15")
            #expect(inbound[1][0] as String == "transfer"); #expect(inbound[1][3] as Double == 6); #expect(inbound[1][4] as String == "2026-03-07")
        }
    }

    @Test func stateFilesUpdateAndEventFilesRefuseRepeats() throws {
        let dir = try TinyRetailer.importedDatabase()
        let db = dir.database
        // An item master update keeps the item's key and changes its price.
        let update = TemporaryDirectory()
        update.write("items.csv", "sku,category,department,unit_cost,unit_price\nA,Apparel,Tops,4,12\n")
        try db.importFiles([update.file("items.csv")])
        try db.pool.read { (d: Database) throws in
            #expect(try Double.fetchOne(d, sql: "SELECT unit_price FROM items WHERE sku = 'A'") == 12)
            #expect(try Int.fetchOne(d, sql: "SELECT COUNT(*) FROM sales s JOIN items i USING (item_key) WHERE i.sku = 'A'") == 3)
        }
        // Re-importing the same sales is a duplicate key, and nothing changes.
        let before = try fingerprint(db)
        #expect(throws: StoreError.self) { try db.importFiles([dir.file("sales.csv")]) }
        #expect(try fingerprint(db) == before)
    }
}
