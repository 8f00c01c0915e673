import Foundation
import GRDB
import KeelStore
import KeelTestSupport
import Testing

@Suite struct RunCommandTests {
    func runs(_ db: KeelDatabase) throws -> [(kind: String, status: String)] {
        try db.pool.read { d in
            try Row.fetchAll(d, sql: "SELECT kind, status FROM runs WHERE kind <> 'import' ORDER BY run_id").map { ($0[0], $0[1]) }
        }
    }

    @Test func theBatchRunsEveryStepAsItsOwnRunAndAgainSafely() throws {
        let retailer = try TinyRetailer.importedDatabase()
        let path = retailer.file("keel.sqlite")
        let r = try KeelBinary.run(["run", "--db", path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(json["succeeded"] as? Bool == true)
        let steps = json["steps"] as! [[String: Any]]
        #expect(steps.map { $0["step"] as! String } == ["forecast", "plan", "route", "anomalies"])
        #expect(steps.allSatisfy { $0["status"] as? String == "succeeded" })
        // Structured progress lines (stderr is not a terminal here): a start and an end per step.
        #expect(r.stderr.components(separatedBy: "event=batch.step").count - 1 == 8)
        let first = try runs(retailer.database)
        #expect(first.map(\.kind) == ["forecast", "replenishment", "transfers", "sourcing", "anomalies"])
        #expect(first.allSatisfy { $0.status == "succeeded" })
        let anomalies = try retailer.database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM anomalies")! }
        // Again: new runs, the same anomalies (keyed by their event), nothing doubled.
        let again = try KeelBinary.run(["run", "--db", path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("nightly batch: succeeded"))
        #expect(try runs(retailer.database).count == 10)
        #expect(try retailer.database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM anomalies")! } == anomalies)
    }

    @Test func aFailedStepKeepsEarlierRunsAndIsRecorded() throws {
        let retailer = try TinyRetailer.importedDatabase()
        let path = retailer.file("keel.sqlite")
        // A supplier lead time of 0 days: the plan step refuses it.
        try retailer.database.pool.write { try $0.execute(sql: "UPDATE suppliers SET lead_time_days = 0 WHERE supplier_id = 'SUP2'") }
        let before = try retailer.database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM replenishment_plans")! }
        let r = try KeelBinary.run(["run", "--db", path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("keel: error: step plan failed"))
        #expect(r.stderr.contains("supplier SUP2 has lead time 0"))
        #expect(r.stdout.contains("route      skipped"))
        // The forecast run stands; the plan runs are recorded as failed with the error; nothing after ran.
        let kinds = try runs(retailer.database)
        #expect(kinds.map(\.kind) == ["forecast", "replenishment", "transfers"])
        #expect(kinds.map(\.status) == ["succeeded", "failed", "failed"])
        let error = try retailer.database.pool.read { try String.fetchOne($0, sql: "SELECT error FROM runs WHERE kind = 'replenishment'") }
        #expect(error?.contains("lead time 0") == true)
        #expect(try retailer.database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM replenishment_plans")! } == before)
        // Fixed, the batch runs through.
        try retailer.database.pool.write { try $0.execute(sql: "UPDATE suppliers SET lead_time_days = 14 WHERE supplier_id = 'SUP2'") }
        #expect(try KeelBinary.run(["run", "--db", path]).status == 0)
    }
}
