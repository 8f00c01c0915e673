import Foundation
import KeelTestSupport
import Testing

@Suite struct KPICommandTests {
    @Test func kpisPrintsTableAndJSONAndRefusesBadInput() throws {
        let dir = TemporaryDirectory()
        let data = dir.file("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        for (name, text) in TinyRetailer.files {
            #expect(FileManager.default.createFile(atPath: data + "/" + name, contents: Data((text + "\n").utf8)))
        }
        let db = dir.file("k.sqlite")
        let imported = try KeelBinary.run(["import", "--db", db, data])
        #expect(imported.status == 0, "\(imported.stderr)")

        let json = try KeelBinary.run(["kpis", "--db", db, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["asOf"] as? String == "2026-03-05" && object["windowDays"] as? Int == 28)
        // Net revenue 37 (store) + 42 (web) = 79, cost 16 + 14 = 30 (see KPIReportTests for the arithmetic).
        let margin = try #require((object["grossMargin"] as? [String: Any])?["value"] as? [String: Any])
        let total = try #require(margin["total"] as? [String: Any])
        #expect(total["netRevenue"] as? Double == 79 && total["cost"] as? Double == 30)
        let fill = try #require(object["sourcingFill"] as? [String: Any])
        #expect(fill["value"] is NSNull && (fill["reason"] as? String)?.isEmpty == false)

        let text = try KeelBinary.run(["kpis", "--db", db, "--as-of", "2026-03-03"])
        #expect(text.status == 0 && text.stdout.contains("KPIs as of 2026-03-03") && text.stdout.contains("n/a: no successful forecast run yet"))

        let missing = try KeelBinary.run(["kpis", "--db", dir.file("none.sqlite")])
        #expect(missing.status == 2 && missing.stderr.hasPrefix("keel: error: ") && missing.stderr.contains("no such database"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("none.sqlite")))
        let badDate = try KeelBinary.run(["kpis", "--db", db, "--as-of", "2026-02-30"])
        #expect(badDate.status == 2 && badDate.stderr.contains("--as-of"))
    }
}
