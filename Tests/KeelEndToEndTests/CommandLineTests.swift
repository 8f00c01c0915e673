import Foundation
import KeelTestSupport
import Testing

@Suite(.serialized) struct CommandLineTests {
    @Test func initIsIdempotent() throws {
        let dir = TemporaryDirectory()
        let db = dir.file("k.sqlite")
        let first = try KeelBinary.run(["init", "--db", db])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try KeelBinary.run(["init", "--db", db, "--json"])
        #expect(second.status == 0)
        #expect(second.stdout.contains("v1-master-data"))
    }

    @Test func importStatusAndJSON() throws {
        let dir = TemporaryDirectory()
        TinyRetailer.write(to: dir)
        let db = dir.file("k.sqlite")
        let imported = try KeelBinary.run(["import", "--db", db, dir.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("sales: 6 rows"))
        let status = try KeelBinary.run(["status", "--db", db, "--json"])
        #expect(status.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as! [String: Any]
        let counts = json["counts"] as! [String: Int]
        #expect(counts["sales"] == 6)
        #expect(counts["demand_series"] == 3)
        #expect((json["runs"] as! [[String: Any]]).first?["kind"] as? String == "import")
        let text = try KeelBinary.run(["status", "--db", db])
        #expect(text.stdout.contains("stock by node type"))
        #expect(text.stdout.contains("sales by channel"))
    }

    @Test func badInputExitsTwoWithOneErrorLinePerRowAndKeepsTheDatabase() throws {
        let dir = TemporaryDirectory()
        TinyRetailer.write(to: dir)
        let db = dir.file("k.sqlite")
        try KeelBinary.run(["import", "--db", db, dir.path])
        let bad = TemporaryDirectory()
        let path = bad.write("sales.csv", "transaction_id,line,timestamp,channel,location_id,sku,qty,unit_price\nT9,1,2026-03-06T10:00:00Z,store,S1,NOPE,1,10\nT9,2,2026-03-06T10:00:00Z,store,S1,A,x,10\n")
        let r = try KeelBinary.run(["import", "--db", db, path])
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("keel: error: ") }
        #expect(lines.count == 2)
        #expect(lines[0] == "keel: error: \(path):2: sku: unknown sku 'NOPE'")
        #expect(lines[1] == "keel: error: \(path):3: qty: not a decimal number: 'x'")
        let status = try KeelBinary.run(["status", "--db", db, "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as! [String: Any]
        #expect((json["counts"] as! [String: Int])["sales"] == 6)
        #expect((json["counts"] as! [String: Int])["runs"] == 1)
    }

    @Test func exportWithoutARunIsAnError() throws {
        let dir = TemporaryDirectory()
        let db = dir.file("k.sqlite")
        try KeelBinary.run(["init", "--db", db])
        let r = try KeelBinary.run(["export", "forecasts", "--db", db, "--output", dir.file("f.csv")])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("keel: error: no successful forecast run"))
        let unknown = try KeelBinary.run(["export", "widgets", "--db", db, "--output", dir.file("f.csv")])
        #expect(unknown.status == 2)
    }

    @Test func unknownFileNameIsBadUsage() throws {
        let dir = TemporaryDirectory()
        let r = try KeelBinary.run(["import", "--db", dir.file("k.sqlite"), dir.write("stuff.csv", "a\n1\n")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("not a contract file name"))
    }
}
