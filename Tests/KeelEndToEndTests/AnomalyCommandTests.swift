import Foundation
import KeelTestSupport
import Testing

/// `keel anomalies`: detect (default subcommand), JSON summary, ack/resolve and their errors.
@Suite struct AnomalyCommandTests {
    @Test func detectAckResolveAndErrors() throws {
        let dir = TemporaryDirectory()
        TinyRetailer.write(to: dir)
        let db = dir.file("k.sqlite")
        let imported = try KeelBinary.run(["import", "--db", db, dir.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        let detect = try KeelBinary.run(["anomalies", "--db", db, "--json"])
        #expect(detect.status == 0, "\(detect.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(detect.stdout.utf8)) as! [String: Any]
        #expect(json["runId"] is Int)
        // Unknown id and a bad date: exit 2, one `keel: error:` line.
        let unknown = try KeelBinary.run(["anomalies", "ack", "987654", "--db", db])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix("keel: error: no anomaly with id 987654"))
        let badDate = try KeelBinary.run(["anomalies", "detect", "--db", db, "--as-of", "2025-13-40"])
        #expect(badDate.status == 2)
        #expect(badDate.stderr.contains("keel: error:"))
        // With an anomaly in the table: ack, then an illegal second ack, then resolve.
        let first = try firstAnomaly(db)
        #expect(first != nil, "the tiny retailer should give at least one anomaly")
        guard let id = first else { return }
        let ack = try KeelBinary.run(["anomalies", "ack", String(id), "--db", db, "--note", "looking"])
        #expect(ack.status == 0, "\(ack.stderr)")
        let again = try KeelBinary.run(["anomalies", "ack", String(id), "--db", db])
        #expect(again.status == 2)
        #expect(again.stderr.contains("cannot become acknowledged"))
        let resolve = try KeelBinary.run(["anomalies", "resolve", String(id), "--db", db])
        #expect(resolve.status == 0)
        #expect(resolve.stdout.contains("acknowledged → resolved"))
    }

    func firstAnomaly(_ db: String) throws -> Int? {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("anomalies-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try KeelBinary.run(["export", "anomalies", "--db", db, "--output", out])
        guard r.status == 0, let text = try? String(contentsOfFile: out, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n")
        #expect(
            lines.first
                == "run_id,anomaly_id,kind,severity,score,amount_at_risk,transaction_id,return_id,settlement_id,location_id,sku,channel,category,cashier_id,customer_id,date,explanation,status"
        )
        guard lines.count > 1 else { return nil }
        return Int(lines[1].split(separator: ",")[1])
    }

    @Test func financeReportHasTheQueueMarginsAndReturns() throws {
        let retailer = try TinyRetailer.importedDatabase()
        let out = retailer.file("finance")
        let r = try KeelBinary.run(["anomalies", "detect", "--db", retailer.file("keel.sqlite"), "--report", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("finance report: "))
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("Keel finance report"))
        // (The weekly trend needs two weeks; the tiny retailer spans one.)
        for title in ["Anomalies", "Gross margin by channel and fulfilment path", "Money at risk by kind and status"] {
            #expect(html.contains(title), "missing \(title)")
        }
        #expect(html.contains("<svg"))
        let references = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        for needle in ["<script", "http://", "https://", "<link", "src="] { #expect(!references.contains(needle), "refers outside: \(needle)") }
        #expect(FileManager.default.fileExists(atPath: out + "/report.ipynb"))
    }
}
