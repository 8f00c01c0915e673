import GRDB
import KeelCore
import KeelStore
import KeelTestSupport
import Testing

@Suite struct DemandHistoryTests {
    func series(_ panel: DemandPanel, _ db: KeelDatabase, channel: Channel, location: String, sku: String) throws -> Int? {
        let keys = try db.pool.read { (d: Database) throws in
            try Row.fetchOne(d, sql: "SELECT l.location_key, i.item_key FROM locations l, items i WHERE l.location_id = ? AND i.sku = ?", arguments: [location, sku])
        }!
        let lk: Int64 = keys[0], ik: Int64 = keys[1]
        return panel.keys.firstIndex { $0.channel == channel && $0.locationKey == lk && $0.itemKey == ik }
    }

    @Test func handComputedUnitsPricesPromoAndStockoutFlags() throws {
        let dir = try TinyRetailer.importedDatabase()
        let db = dir.database
        let panel = try db.pool.read { try DemandPanel.load($0) }
        #expect(panel.count == 3)
        #expect(panel.endDay == Day("2026-03-05"))
        let s = try #require(try series(panel, db, channel: .store, location: "S1", sku: "A"))
        #expect(panel.starts[s] == Day("2026-03-02"))
        let r = panel.range(s)
        // 03-02 … 03-05: units 3, 0, 1, 0 (returns are not netted from gross demand).
        #expect(Array(panel.units[r]) == [3, 0, 1, 0])
        #expect(abs(Double(panel.price[r.lowerBound]) - 29.0 / 3.0) < 1e-5)
        #expect(panel.price[r.lowerBound + 1].isNaN)
        #expect(panel.price[r.lowerBound + 2] == 8)
        // Promotion on 03-04 only; stockout (snapshot 0 on 03-03, restocked 03-04) on 03-03 only.
        #expect(r.map { panel.flags[$0] & DemandHistory.promoFlag != 0 } == [false, false, true, false])
        #expect(r.map { panel.isStockout($0) } == [false, true, false, false])
        // Every series ends on the history's end day.
        for i in 0..<panel.count { #expect(panel.starts[i].adding(panel.range(i).count - 1) == panel.endDay) }
    }

    @Test func incrementalImportsEqualOneBigImport() throws {
        // Sales split over two imports must give exactly the series of one import.
        let whole = TemporaryDirectory(), parts = TemporaryDirectory()
        TinyRetailer.write(to: whole)
        TinyRetailer.write(to: parts, except: ["sales.csv"])
        let lines = TinyRetailer.files["sales.csv"]!.split(separator: "\n").map(String.init)
        let header = lines[0]
        let dbWhole = try KeelDatabase(path: whole.file("w.sqlite"))
        try dbWhole.importFiles([whole.path])
        let dbParts = try KeelDatabase(path: parts.file("p.sqlite"))
        try dbParts.importFiles([parts.path])
        let first = TemporaryDirectory(), second = TemporaryDirectory()
        first.write("sales.csv", ([header] + lines[1...3]).joined(separator: "\n") + "\n")
        second.write("sales.csv", ([header] + lines[4...]).joined(separator: "\n") + "\n")
        try dbParts.importFiles([first.file("sales.csv")])
        let report = try dbParts.importFiles([second.file("sales.csv")])
        #expect(report.demandSeriesRefreshed >= 2)
        let a = try dbWhole.pool.read { try DemandPanel.load($0) }
        let b = try dbParts.pool.read { try DemandPanel.load($0) }
        #expect(a.units == b.units)
        #expect(a.flags == b.flags)
        #expect(a.starts == b.starts)
        #expect(zip(a.price, b.price).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) || abs($0 - $1) < 1e-5 })
    }

    @Test func aNewSnapshotRecomputesStockoutFlags() throws {
        let dir = try TinyRetailer.importedDatabase()
        let db = dir.database
        let more = TemporaryDirectory()
        more.write("inventory.csv", "location_id,sku,on_hand,reserved,as_of\nS1,A,2,2,2026-03-05\n")
        try db.importFiles([more.file("inventory.csv")])
        let panel = try db.pool.read { try DemandPanel.load($0) }
        let s = try #require(try series(panel, db, channel: .store, location: "S1", sku: "A"))
        // on_hand 2 − reserved 2 = 0 available on 03-05 → censored.
        #expect(panel.range(s).map { panel.isStockout($0) } == [false, true, false, true])
    }
}
