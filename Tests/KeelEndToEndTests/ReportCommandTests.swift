import Foundation
import KeelTestSupport
import Testing

@Suite struct ReportCommandTests {
    @Test func reportWritesNotebookAndPageAndRefusesBadRuns() throws {
        let dir = TemporaryDirectory()
        let data = dir.file("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        for (name, text) in TinyRetailer.files { FileManager.default.createFile(atPath: data + "/" + name, contents: Data((text + "\n").utf8)) }
        let db = dir.file("k.sqlite")
        let imported = try KeelBinary.run(["import", "--db", db, data])
        #expect(imported.status == 0, "\(imported.stderr)")

        let out = dir.file("report")
        let ok = try KeelBinary.run(["report", "--db", db, "--out", out, "--json"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as! [String: String]
        #expect(summary["sections"] == "10")
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("KPIs as of 2026-03-05"))
        #expect(html.contains("No forecast run yet") && html.contains("No anomaly run yet"))
        let notebook = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.ipynb"))) as! [String: Any]
        #expect(notebook["nbformat"] as? Int == 4 && notebook["nbformat_minor"] as? Int == 5)

        // An unknown run, and a run that is not a forecast run (#1 is the import): exit 2, nothing written.
        for run in ["999", "1"] {
            let other = dir.file("report-\(run)")
            let bad = try KeelBinary.run(["report", "--db", db, "--run", run, "--out", other])
            #expect(bad.status == 2, "\(bad.stdout) \(bad.stderr)")
            #expect(bad.stderr.hasPrefix("keel: error: "))
            #expect(!FileManager.default.fileExists(atPath: other))
        }
        let missing = try KeelBinary.run(["report", "--db", dir.file("none.sqlite"), "--out", dir.file("x")])
        #expect(missing.status == 2 && missing.stderr.contains("no such database"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("none.sqlite")))
    }
}
