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

    /// The tiny retailer with more price and promotion rows (CSV lines) imported after it.
    func retailer(prices: [String], promotions: [String]) throws -> ImportedTinyRetailer {
        let dir = try TinyRetailer.importedDatabase()
        let more = TemporaryDirectory()
        more.write("prices.csv", (["sku,channel,location_id,price,start_date,end_date"] + prices).joined(separator: "\n") + "\n")
        more.write("promotions.csv",
                   (["promo_id,sku,channel,location_id,start_date,end_date,promo_price,discount_pct"] + promotions).joined(separator: "\n") + "\n")
        try dir.database.importFiles([more.path])
        return dir
    }

    /// The contract's price semantics day by day (hand-computed from the tiny retailer's files plus
    /// three more price rows): a promotion's price over the list price, a location's row over the
    /// all-locations row, the later start among equally specific rows, the item's unit_price where
    /// the book has no row; and the days after the history (the horizon) priced the same way.
    @Test func effectivePricesAndPromotionsOverHistoryAndHorizon() throws {
        // Channel empty = every channel; a 0 % discount is a promotion at the list price (not at 0);
        // a discount on an item without price rows applies to its unit_price.
        let dir = try retailer(prices: ["A,store,S1,11,2026-03-05,2026-03-07", "A,store,,12,2026-03-08,", "A,store,S2,13,2026-03-02,"],
                               promotions: ["P2,A,,S1,2026-03-06,2026-03-09,,0.25", "P4,B,,,2026-03-01,2026-03-02,,0",
                                            "P5,C,web,,2026-03-07,2026-03-08,,0.5"])
        let db = dir.database
        let panel = try db.pool.read { try DemandPanel.load($0) }
        let a = try key(panel, db, channel: .store, location: "S1", sku: "A")
        let b = try key(panel, db, channel: .web, location: "DC1", sku: "B")
        let c = try key(panel, db, channel: .web, location: "S2", sku: "C")
        // History ends 2026-03-05; two horizon days after it.
        let drivers = try #require(try db.demandDrivers(keys: [a, b, c], from: Day("2026-03-01")!, through: Day("2026-03-09")!))
        #expect(drivers.days == 9)
        // S1/A store: list 10; P1 at 8 on 03-04…03-06 (over S1's own 11 from 03-05, and over P2, later
        // in the book); P2 (every channel at S1, 25 % off) on S1's 11 on 03-07 = 8.25, on the later
        // all-locations 12 from 03-08 = 9. S2's 13 never applies to S1.
        #expect(Array(drivers.prices(0)) == [10, 10, 10, 8, 8, 8, 8.25, 9, 9])
        #expect(Array(drivers.promotions(0)) == [0, 0, 0, 1, 1, 1, 1, 1, 1])
        // web B at DC1: 9 throughout, P4 (0 % off) on 03-01 and 03-02 at 9.
        #expect(Array(drivers.prices(1)) == Array(repeating: 9, count: 9))
        #expect(Array(drivers.promotions(1)) == [1, 1, 0, 0, 0, 0, 0, 0, 0])
        // web C at S2: no web price row, so the item's unit_price 15; P5 half off it on 03-07 and 03-08.
        #expect(Array(drivers.prices(2)) == [15, 15, 15, 15, 15, 15, 7.5, 7.5, 15])
        #expect(Array(drivers.promotions(2)) == [0, 0, 0, 0, 0, 0, 1, 1, 0])
        #expect(drivers.varies == [true, true, true])
        #expect(drivers.varyingCount == 3)
    }

    /// Painting rows over a span gives the day-by-day lookup's answer on every day, for every item,
    /// channel and location — with overlapping list rows, a promotion by discount over a
    /// location-specific price, and promotions that overlap each other.
    @Test func paintingAgreesWithTheDayByDayLookup() throws {
        let dir = try retailer(
            prices: ["A,store,S1,11,2026-03-05,2026-03-07", "A,store,,12,2026-03-08,", "A,store,S2,13,2026-03-02,",
                     "B,web,DC1,8.5,2026-02-27,2026-03-03"],
            promotions: ["P2,A,,S1,2026-03-06,2026-03-09,,0.25", "P3,A,store,S2,2026-02-25,2026-03-03,9.5,",
                         "P4,B,,,2026-03-01,2026-03-02,,0.1", "P5,C,web,,2026-03-07,2026-03-08,,0.5"])
        let db = dir.database
        let book = try db.pool.read { try PriceBook($0) }
        let (items, locations) = try db.pool.read { d in
            (try Int64.fetchAll(d, sql: "SELECT item_key FROM items"), try Int64.fetchAll(d, sql: "SELECT location_key FROM locations"))
        }
        // Half the items with their unit_price where no list row applies, half without.
        let unit: [Int64: Double] = Dictionary(uniqueKeysWithValues: items.filter { $0 % 2 == 1 }.map { ($0, 7.0) })
        let first = Day("2026-02-20")!.rawValue, n = 30
        var price = [Double](repeating: 0, count: n), promoted = price
        var checked = 0, covered = 0
        for item in items {
            for channel in Channel.allCases.map(\.code) {
                for location in locations {
                    price.withUnsafeMutableBufferPointer { p in
                        promoted.withUnsafeMutableBufferPointer { q in
                            book.paint(item: item, channel: channel, location: location, firstDay: first, listWhereNone: unit[item],
                                       price: p, promoted: q)
                        }
                    }
                    for d in 0..<n {
                        let e = book.effective(item: item, channel: channel, location: location, day: first + Int32(d), listWhereNone: unit[item])
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
