import Foundation
import KeelTestSupport
import Testing

@Suite struct RouteCommandTests {
    /// The tiny retailer's open orders, as of its latest transaction (2026-03-05), by hand:
    /// O9 line 1 B×1 to Z1 standard: only DC1 holds B → 5.5 + 0.4×0.4 kg + 0.5 pick = 6.16, on
    /// 03-07 (promise 03-08); line 2 A×2: only S1 holds A and ships to Z1 → 7 + 0 + 1.2×2 = 9.4,
    /// on 03-06. O10 pickup at S1, A×1: pick 1.2, ready 03-05 (promise 03-06).
    /// Total 16.76 in 3 shipments, nothing late or unsourced.
    @Test func routeWritesASourcingRun() throws {
        let retailer = try TinyRetailer.importedDatabase()
        let db = retailer.file("keel.sqlite")
        let r = try KeelBinary.run(["route", "--db", db, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(abs((json?["total_cost"] as? Double ?? 0) - 16.76) < 1e-9)
        #expect(json?["shipments"] as? Int == 3 && json?["late_lines"] as? Int == 0 && json?["unsourced_lines"] as? Int == 0)
        #expect(json?["as_of"] as? String == "2026-03-05")
        let csv = retailer.file("sourcing.csv")
        let e = try KeelBinary.run(["export", "sourcing", "--db", db, "--output", csv])
        #expect(e.status == 0, "\(e.stderr)")
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        #expect(rows.count == 3)
        #expect(rows.map { "\($0[1])/\($0[2])/\($0[3])" }.sorted() == ["O10/1/S1", "O9/1/DC1", "O9/2/S1"])
    }

    @Test func routeBadInputExitsTwo() throws {
        let dir = TemporaryDirectory()
        let missing = try KeelBinary.run(["route", "--db", dir.file("none.sqlite")])
        #expect(missing.status == 2 && missing.stderr.hasPrefix("keel: error:"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("none.sqlite")))
        let retailer = try TinyRetailer.importedDatabase()
        let bad = try KeelBinary.run(["route", "--db", retailer.file("keel.sqlite"), "--as-of", "2026-02-30"])
        #expect(bad.status == 2 && bad.stderr.contains("--as-of"))
    }
}
