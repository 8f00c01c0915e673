import Foundation
import KeelTestSupport
import Testing

@Suite(.serialized) struct DatasetAndDemoTests {
    static let small = ["--stores", "3", "--dcs", "1", "--skus", "40", "--days", "120", "--seed", "11"]

    @Test func generatedRetailerImportsWithoutARejectedRow() throws {
        let dir = TemporaryDirectory()
        let data = dir.file("retailer")
        let gen = try KeelBinary.run(["datasets", "generate", "--out", data] + Self.small)
        #expect(gen.status == 0, "\(gen.stderr)")
        #expect(gen.stdout.contains("anomalies_truth.csv"))
        let imported = try KeelBinary.run(["import", "--db", dir.file("k.sqlite"), data, "--json"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as! [String: Any]
        let files = report["files"] as! [[String: Any]]
        #expect(files.count == 15)
        #expect(files.allSatisfy { ($0["rowsRejected"] as! Int) == 0 })
        #expect(files.first { ($0["kind"] as! String) == "sales" }.map { $0["rowsImported"] as! Int }! > 100)
        #expect((report["warnings"] as! [String]).contains { $0.contains("anomalies_truth.csv: not a contract file") })
    }

    @Test func sameSeedSameFiles() throws {
        let dir = TemporaryDirectory()
        try KeelBinary.run(["datasets", "generate", "--out", dir.file("a")] + Self.small)
        try KeelBinary.run(["datasets", "generate", "--out", dir.file("b")] + Self.small)
        for name in ["sales.csv", "inventory.csv", "returns.csv", "anomalies_truth.csv"] {
            let a = FileManager.default.contents(atPath: dir.file("a/\(name)"))
            #expect(a != nil && a == FileManager.default.contents(atPath: dir.file("b/\(name)")), "\(name) differs")
        }
    }

    @Test func demoBuildsAFreshDatabasePrintsASummaryAndWritesAReport() throws {
        let dir = TemporaryDirectory()
        let data = dir.file("retailer")
        try KeelBinary.run(["datasets", "generate", "--out", data] + Self.small)
        let db = dir.file("demo.sqlite"), out = dir.file("report")
        let first = try KeelBinary.run(["demo", "--db", db, "--out", out, "--data", data])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("stock by node type"))
        #expect(first.stdout.contains("sales by channel"))
        #expect(FileManager.default.fileExists(atPath: out + "/summary.html"))
        #expect(FileManager.default.fileExists(atPath: out + "/report.html"))
        #expect(FileManager.default.fileExists(atPath: out + "/report.ipynb"))
        // Running it again replaces its own demo database (fresh, not doubled).
        let second = try KeelBinary.run(["demo", "--db", db, "--out", out, "--data", data, "--json"])
        #expect(second.status == 0, "\(second.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as! [String: Any]
        // The import run and the batch's forecast, replenishment, transfers, sourcing and anomaly
        // runs: the second demo replaced the first database.
        #expect((json["counts"] as! [String: Int])["runs"] == 6)
        #expect((json["counts"] as! [String: Int])["forecasts"]! > 0)
        // It refuses to replace a database that is not a demo database.
        let real = dir.file("real.sqlite")
        try KeelBinary.run(["init", "--db", real])
        let refused = try KeelBinary.run(["demo", "--db", real, "--out", out, "--data", data])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is not a demo database"))
    }
}
