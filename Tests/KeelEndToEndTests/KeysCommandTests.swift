import Foundation
import GRDB
import KeelStore
import KeelTestSupport
import Testing

/// `keel keys create|revoke`: the key printed once, only a hash stored, bad input exits 2.
@Suite struct KeysCommandTests {
    @Test func createPrintsTheKeyOnceAndRevokeMarksIt() throws {
        let retailer = try TinyRetailer.importedDatabase()
        let db = retailer.file("keel.sqlite")
        let created = try KeelBinary.run(["keys", "create", "--db", db, "--role", "finance"])
        #expect(created.status == 0, "\(created.stderr)")
        let key = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.count == 43 && created.stderr.contains("API key 1 (finance)"))
        let rows = try retailer.database.pool.read { try Row.fetchAll($0, sql: "SELECT role, hash, revoked_at FROM api_keys") }
        #expect(rows.count == 1 && rows[0][0] as String == "finance" && (rows[0][1] as String).count == 64)
        #expect(!(rows[0][1] as String).contains(key) && (rows[0][2] as String?) == nil)

        let revoked = try KeelBinary.run(["keys", "revoke", "1", "--db", db])
        #expect(revoked.status == 0, "\(revoked.stderr)")
        #expect(try retailer.database.pool.read { try String.fetchOne($0, sql: "SELECT revoked_at FROM api_keys WHERE key_id = 1") } != nil)
        let twice = try KeelBinary.run(["keys", "revoke", "1", "--db", db])
        #expect(twice.status == 2 && twice.stderr.contains("keel: error: API key 1 was already revoked"))
        let unknown = try KeelBinary.run(["keys", "revoke", "7", "--db", db])
        #expect(unknown.status == 2 && unknown.stderr.contains("no API key with id 7"))
        let badRole = try KeelBinary.run(["keys", "create", "--db", db, "--role", "boss"])
        #expect(badRole.status == 2 && badRole.stderr.contains("--role"))
        #expect(try retailer.database.count("api_keys") == 1)
    }
}
