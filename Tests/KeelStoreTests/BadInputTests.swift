import GRDB
import KeelCore
import KeelStore
import KeelTestSupport
import Testing

/// Every rejection rule of the data contract: the message is `file:line: column: reason`, and the
/// database holds exactly what it held before.
@Suite struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var file: String
        var bytes: [UInt8]
        var expected: String  // "<line>: <column>: <reason prefix>"
        var testDescription: String { name }
        init(_ name: String, _ file: String, _ text: String, _ expected: String) {
            self.name = name; self.file = file; self.bytes = Array(text.utf8); self.expected = expected
        }
        init(_ name: String, _ file: String, bytes: [UInt8], _ expected: String) {
            self.name = name; self.file = file; self.bytes = bytes; self.expected = expected
        }
    }

    static let salesHeader = "transaction_id,line,timestamp,channel,location_id,sku,qty,unit_price\n"

    static let cases: [Case] = [
        Case("unknown sku", "sales.csv", salesHeader + "T9,1,2026-03-06T10:00:00Z,store,S1,ZZZ,1,10\n", "2: sku: unknown sku 'ZZZ'"),
        Case("unknown location", "sales.csv", salesHeader + "T9,1,2026-03-06T10:00:00Z,store,S9,A,1,10\n", "2: location_id: unknown location_id 'S9'"),
        Case("wrong type", "sales.csv", salesHeader + "T9,1,2026-03-06T10:00:00Z,store,S1,A,two,10\n", "2: qty: not a decimal number: 'two'"),
        Case("negative quantity", "sales.csv", salesHeader + "T9,1,2026-03-06T10:00:00Z,store,S1,A,-1,10\n", "2: qty: must not be negative: '-1'"),
        Case("duplicate key within the file", "sales.csv", salesHeader + "T9,1,2026-03-06T10:00:00Z,store,S1,A,1,10\nT9,1,2026-03-06T10:00:00Z,store,S1,A,1,10\n",
             "3: transaction_id,line: duplicate key"),
        Case("duplicate key already imported", "sales.csv", salesHeader + "T1,1,2026-03-02T10:00:00Z,store,S1,A,2,10\n", "2: transaction_id,line: duplicate key"),
        Case("duplicate master key within the file", "items.csv", "sku,category,department,unit_cost,unit_price\nX,a,b,1,2\nX,a,b,1,3\n", "3: sku: duplicate key"),
        Case("impossible date", "inventory.csv", "location_id,sku,on_hand,as_of\nS1,A,3,2026-02-30\n", "2: as_of: not a valid date (YYYY-MM-DD): '2026-02-30'"),
        Case("unparseable timestamp", "sales.csv", salesHeader + "T9,1,2026-03-06 25:00,store,S1,A,1,10\n", "2: timestamp: not a valid ISO-8601 timestamp"),
        Case("number too large to store", "sales.csv", salesHeader + "T9,1,2026-03-06T10:00:00Z,store,S1,A,1e400,10\n", "2: qty: number too large to store"),
        Case("integer too large", "sales.csv", salesHeader + "T9,99999999999999999999,2026-03-06T10:00:00Z,store,S1,A,1,10\n", "2: line: number too large to store"),
        Case("missing required column", "sales.csv", "transaction_id,line,timestamp,channel,location_id,sku,unit_price\nT9,1,2026-03-06T10:00:00Z,store,S1,A,10\n",
             "1: qty: required column missing from the header"),
        Case("empty file", "items.csv", "", "1: header: empty file"),
        Case("invalid UTF-8", "items.csv", bytes: Array("sku,name,category,department,unit_cost,unit_price\nX,".utf8) + [0xC3, 0x28] + Array(",a,b,1,2\n".utf8),
             "2: name: invalid UTF-8"),
        Case("unknown enumeration value", "sales.csv", salesHeader + "T9,1,2026-03-06T10:00:00Z,shop,S1,A,1,10\n", "2: channel: 'shop' is not one of store, web"),
        Case("required value empty", "sales.csv", salesHeader + "T9,1,2026-03-06T10:00:00Z,store,S1,,1,10\n", "2: sku: required value is empty"),
        Case("wrong number of fields", "sales.csv", salesHeader + "T9,1,2026-03-06T10:00:00Z,store,S1,A,1\n", "2: row: has 7 fields, the header has 8"),
        Case("unterminated quote", "items.csv", "sku,category,department,unit_cost,unit_price\n\"X,a,b,1,2\n", "2: row: unterminated quoted field"),
        Case("promotion with price and percentage", "promotions.csv", "promo_id,sku,start_date,end_date,promo_price,discount_pct\nP2,A,2026-03-01,2026-03-02,5,0.1\n",
             "2: promo_price: exactly one of promo_price and discount_pct"),
        Case("end before start", "prices.csv", "sku,channel,price,start_date,end_date\nA,web,9,2026-03-05,2026-03-01\n", "2: end_date: 2026-03-01 is before start_date 2026-03-05"),
        Case("unknown promotion", "sales.csv", "transaction_id,line,timestamp,channel,location_id,sku,qty,unit_price,promo_id\nT9,1,2026-03-06T10:00:00Z,store,S1,A,1,8,P404\n",
             "2: promo_id: unknown promo_id 'P404'"),
        Case("invalid boolean", "locations.csv", "location_id,type,latitude,longitude,can_pickup\nS3,store,1,2,yes\n", "2: can_pickup: not a boolean (true or false): 'yes'"),
        Case("unknown supplier", "items.csv", "sku,category,department,unit_cost,unit_price,supplier_id\nX,a,b,1,2,NOPE\n", "2: supplier_id: unknown supplier_id 'NOPE'"),
        Case("unknown zone", "orders.csv", "order_id,line,created_at,channel,sku,qty,ship_to_zone,service\nO1,1,2026-03-05,web,A,1,Z9,standard\n", "2: ship_to_zone: unknown zone 'Z9'"),
        Case("lane to itself", "transfer_lanes.csv", "from_location_id,to_location_id,cost_per_unit,transit_days\nS1,S1,1,1\n", "2: to_location_id: a lane must join two different locations"),
        Case("latitude out of range", "zones.csv", "zone,latitude,longitude\nZ9,95,10\n", "2: latitude: must be between -90 and 90"),
        Case("negative on hand", "inventory.csv", "location_id,sku,on_hand,as_of\nS1,A,-2,2026-03-06\n", "2: on_hand: must not be negative: '-2'"),
        Case("pickup without a store", "orders.csv", "order_id,line,created_at,channel,sku,qty,ship_to_zone,service\nO1,1,2026-03-05,web,A,1,Z1,pickup\n",
             "2: pickup_location_id: required for a pickup order"),
        Case("line number after a quoted newline", "items.csv", "sku,name,category,department,unit_cost,unit_price\nX,\"two\nlines\",a,b,1,2\nY,ok,a,b,one,2\n",
             "4: unit_cost: not a decimal number: 'one'"),
    ]

    @Test(arguments: cases)
    func rejectedWithMessageAndNothingChanged(_ c: Case) throws {
        let base = try TinyRetailer.importedDatabase()
        let db = base.database
        let before = try fingerprint(db)
        let input = TemporaryDirectory()
        let path = input.write(c.file, bytes: c.bytes)
        do {
            try db.importFiles([path])
            Issue.record("expected \(c.name) to be rejected")
        } catch let StoreError.rejected(issues, total) {
            #expect(total >= 1)
            let message = issues[0].description
            #expect(message.hasPrefix("\(path):"), "message: \(message)")
            #expect(message.contains("\(c.file):\(c.expected)"), "message: \(message)")
        }
        #expect(try fingerprint(db) == before)
    }

    @Test func everyBadRowIsReportedNotOnlyTheFirst() throws {
        let dir = try TinyRetailer.importedDatabase()
        let db = dir.database
        let bad = TemporaryDirectory()
        let path = bad.write("sales.csv", Self.salesHeader + "T9,1,2026-03-06T10:00:00Z,store,S1,ZZ,1,10\nT9,2,2026-03-06T10:00:00Z,store,S1,A,1,10\nT9,3,2026-03-06T10:00:00Z,store,S1,A,-4,10\n")
        #expect {
            try db.importFiles([path])
        } throws: { error in
            guard case let StoreError.rejected(issues, total) = error else { return false }
            return total == 2 && issues.map(\.line) == [2, 4]
        }
    }

    @Test func skipBadRowsImportsTheGoodRowsAndWritesTheRejectedOnes() throws {
        let dir = try TinyRetailer.importedDatabase()
        let db = dir.database
        let bad = TemporaryDirectory()
        let path = bad.write("sales.csv", Self.salesHeader + "T9,1,2026-03-06T10:00:00Z,store,S1,ZZ,1,10\nT9,2,2026-03-06T10:00:00Z,store,S1,A,1,10\nT9,3,2026-03-06T10:00:00Z,store,S1,A,-4,10\n")
        let report = try db.importFiles([path], options: ImportOptions(skipBadRows: true))
        #expect(report.files[0].rowsImported == 1)
        #expect(report.files[0].rowsRejected == 2)
        #expect(try db.count("sales") == 7)
        let rejected = try #require(report.files[0].rejectedPath)
        #expect(rejected == bad.file("sales.rejected.csv"))
        let r = try CSVReader(path: rejected)
        var rows: [[String]] = []
        while try r.next() { rows.append((0..<r.fieldCount).map { r.string($0)! }) }
        #expect(rows[0] == ["line", "column", "reason", "transaction_id", "line", "timestamp", "channel", "location_id", "sku", "qty", "unit_price"])
        #expect(rows[1][0...2] == ["2", "sku", "unknown sku 'ZZ'"])
        #expect(rows[2][0...1] == ["4", "qty"])
        #expect(rows[2][9] == "-4")
    }

    @Test func headerOnlyImportsNothingAndSucceeds() throws {
        let dir = try TinyRetailer.importedDatabase()
        let db = dir.database
        let only = TemporaryDirectory()
        let report = try db.importFiles([only.write("sales.csv", Self.salesHeader)])
        #expect(report.rowsImported == 0)
        #expect(try db.count("sales") == 6)
    }

    @Test func byteOrderMarkCRLFQuotedCommasAndNewlinesAndExtraColumns() throws {
        let dir = try TinyRetailer.importedDatabase()
        let db = dir.database
        let input = TemporaryDirectory()
        let text = "\u{FEFF}sku,name,category,department,unit_cost,unit_price,colour\r\nX1,\"Jacket, \"\"rain\"\"\nhooded\",Apparel,Outer,20,49.5,red\r\n"
        let report = try db.importFiles([input.write("items.csv", text)])
        #expect(report.rowsImported == 1)
        #expect(report.warnings.contains { $0.contains("colour: not a contract column") })
        try db.pool.read { (d: Database) throws in
            #expect(try String.fetchOne(d, sql: "SELECT name FROM items WHERE sku = 'X1'") == "Jacket, \"rain\"\nhooded")
            #expect(try Double.fetchOne(d, sql: "SELECT unit_price FROM items WHERE sku = 'X1'") == 49.5)
        }
    }

    @Test func aFileWithAnUnknownNameIsRefused() throws {
        let dir = TemporaryDirectory()
        let db = try KeelDatabase(path: dir.file("keel.sqlite"))
        let path = dir.write("stuff.csv", "a,b\n1,2\n")
        #expect(throws: StoreError.self) { try db.importFiles([path]) }
        #expect(throws: StoreError.self) { try db.importFiles([dir.file("missing.csv")]) }
    }

    @Test func aFailureInALaterFileRollsBackTheEarlierOnes() throws {
        let dir = try TinyRetailer.importedDatabase()
        let db = dir.database
        let before = try fingerprint(db)
        let input = TemporaryDirectory()
        input.write("items.csv", "sku,category,department,unit_cost,unit_price\nNEW,a,b,1,2\n")
        input.write("sales.csv", Self.salesHeader + "T9,1,2026-03-06T10:00:00Z,store,S1,NOPE,1,10\n")
        #expect(throws: StoreError.self) { try db.importFiles([input.path]) }
        #expect(try fingerprint(db) == before)
    }
}
