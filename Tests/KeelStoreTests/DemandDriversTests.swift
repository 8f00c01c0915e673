import GRDB
import KeelCore
import KeelStore
import KeelTestSupport
import Testing

@Suite struct DemandDriversTests {
    func key(_ panel: DemandPanel, _ db: KeelDatabase, channel: Channel, location: String, sku: String) throws -> DemandPanel.Key {
        let row = try db.pool.read { (d: Database) throws in
            try Row.fetchOne(d, sql: "SELECT l.location_key, i.item_key FROM locations l, items i WHERE l.location_id = ? AND i.sku = ?", arguments: [location, sku])
        }!
        let lk: Int64 = row[0], ik: Int64 = row[1]
        return try #require(panel.keys.first { $0.channel == channel && $0.locationKey == lk && $0.itemKey == ik })
    }

    /// The contract's price semantics day by day (hand-computed from the tiny retailer's files plus
    /// three more price rows): a promotion's price over the list price, a location's row over the
    /// all-locations row, the later start among equally specific rows, the item's unit_price where
    /// the book has no row; and the days after the history (the horizon) priced the same way.
    @Test func effectivePricesAndPromotionsOverHistoryAndHorizon() throws {
        let dir = try TinyRetailer.importedDatabase()
        let db = dir.database
        let more = TemporaryDirectory()
        more.write("prices.csv", """
            sku,channel,location_id,price,start_date,end_date
            A,store,S1,11,2026-03-05,2026-03-07
            A,store,,12,2026-03-08,
            A,store,S2,13,2026-03-02,
            """ + "\n")
        try db.importFiles([more.path])
        let panel = try db.pool.read { try DemandPanel.load($0) }
        let a = try key(panel, db, channel: .store, location: "S1", sku: "A")
        let b = try key(panel, db, channel: .web, location: "DC1", sku: "B")
        let c = try key(panel, db, channel: .web, location: "S2", sku: "C")
        // History ends 2026-03-05; two horizon days after it.
        let drivers = try #require(try db.demandDrivers(keys: [a, b, c], from: Day("2026-03-01")!, through: Day("2026-03-09")!))
        #expect(drivers.days == 9)
        // S1/A store: list 10; P1 at 8 on 03-04…03-06 (over S1's own 11 from 03-05); S1's 11 on 03-07;
        // the later all-locations 12 from 03-08 (S1's row has ended). S2's 13 never applies to S1.
        #expect(Array(drivers.prices(0)) == [10, 10, 10, 8, 8, 8, 11, 12, 12])
        #expect(Array(drivers.promotions(0)) == [0, 0, 0, 1, 1, 1, 0, 0, 0])
        // web B at DC1: 9 throughout; web C at S2: no web price row, so the item's unit_price 15.
        #expect(Array(drivers.prices(1)) == Array(repeating: 9, count: 9))
        #expect(Array(drivers.prices(2)) == Array(repeating: 15, count: 9))
        #expect(drivers.varies == [true, false, false])
        #expect(drivers.varyingCount == 1)
    }

    /// Painting rows over a span gives the day-by-day lookup's answer on every day, for every item,
    /// channel and location — with overlapping list rows, a promotion by discount over a
    /// location-specific price, and promotions that overlap each other.
    @Test func paintingAgreesWithTheDayByDayLookup() throws {
        let dir = try TinyRetailer.importedDatabase()
        let db = dir.database
        let more = TemporaryDirectory()
        more.write("prices.csv", """
            sku,channel,location_id,price,start_date,end_date
            A,store,S1,11,2026-03-05,2026-03-07
            A,store,,12,2026-03-08,
            A,store,S2,13,2026-03-02,
            B,web,DC1,8.5,2026-02-27,2026-03-03
            """ + "\n")
        more.write("promotions.csv", """
            promo_id,sku,channel,location_id,start_date,end_date,promo_price,discount_pct
            P2,A,,S1,2026-03-06,2026-03-09,,0.25
            P3,A,store,S2,2026-02-25,2026-03-03,9.5,
            P4,B,,,2026-03-01,2026-03-02,,0.1
            P5,C,web,,2026-03-07,2026-03-08,,0.5
            """ + "\n")
        try db.importFiles([more.path])
        let book = try db.pool.read { try PriceBook($0) }
        let (items, locations) = try db.pool.read { d in
            (try Int64.fetchAll(d, sql: "SELECT item_key FROM items"), try Int64.fetchAll(d, sql: "SELECT location_key FROM locations"))
        }
        let first = Day("2026-02-20")!.rawValue, n = 30
        var price = [Double](repeating: 0, count: n), promoted = price
        var checked = 0, covered = 0
        for item in items {
            for channel in Channel.allCases.map(\.code) {
                for location in locations {
                    price.withUnsafeMutableBufferPointer { p in
                        promoted.withUnsafeMutableBufferPointer { q in
                            book.paint(item: item, channel: channel, location: location, firstDay: first, price: p, promoted: q)
                        }
                    }
                    for d in 0..<n {
                        let e = book.effective(item: item, channel: channel, location: location, day: first + Int32(d))
                        #expect(e.promoted == (promoted[d] == 1))
                        if let want = e.price { #expect(price[d] == want) } else { #expect(price[d].isNaN) }
                        checked += 1
                        if e.promoted { covered += 1 }
                    }
                }
            }
        }
        #expect(checked == 3 * 5 * 3 * n && covered > 20)
    }

    @Test func noPriceOrPromotionRowsMeansNoDrivers() throws {
        let dir = TemporaryDirectory()
        TinyRetailer.write(to: dir, except: ["prices.csv", "promotions.csv", "sales.csv"])
        // Sales without the promotion reference (promotions.csv is not imported).
        dir.write("sales.csv", """
            transaction_id,line,timestamp,channel,location_id,sku,qty,unit_price,discount,promo_id,customer_id,tender,order_id,cashier_id
            T1,1,2026-03-02T10:00:00Z,store,S1,A,2,10,1,,C1,card,,K1
            """ + "\n")
        let db = try KeelDatabase(path: dir.file("keel.sqlite"))
        try db.importFiles([dir.path])
        let panel = try db.pool.read { try DemandPanel.load($0) }
        #expect(try db.demandDrivers(keys: panel.keys, from: Day("2026-03-01")!, through: Day("2026-03-09")!) == nil)
        #expect(throws: StoreError.self) { try db.demandDrivers(keys: panel.keys, from: Day("2026-03-09")!, through: Day("2026-03-01")!) }
    }
}
