import Foundation
import GRDB
import KeelCore
import KeelServer
import KeelStore
import KeelTestSupport
import Testing

/// A small reservation storm through the HTTP API (the in-process version of `make bench-http`'s
/// part 2): 48 orders over two hot SKUs, each running reserve → reject / cancel scripts
/// concurrently with the others, a fifth of the requests sent twice with the same key (half of
/// those at the same moment as the first), then the ledger checked in SQL.
///
/// Hot stock (a stock count on 2026-03-06 replaces the tiny retailer's B): A 5 units at S1;
/// B 12 on hand − 5 reserved by the source system − 2 damaged = 5 at DC1, and 4 at S1.
@Suite struct APIStormTests {
    struct Step: Sendable { var key: String; var path: String; var body: String? }

    @Test func stormKeepsTheLedgerExactAndReplaysIdentical() async throws {
        let f = try APIFixture.make { db in
            let dir = TemporaryDirectory("keel-storm")
            dir.write("inventory.csv", "location_id,sku,on_hand,in_transit,reserved,damaged,as_of\nDC1,B,12,0,5,2,2026-03-06\nS1,B,4,0,0,0,2026-03-06\n")
            try db.importFiles([dir.file("inventory.csv")])
        }
        let before = try positions(f.database)
        #expect(before["DC1/B"]?.reserved == 5 && before["S1/A"].map { $0.onHand - $0.reserved - $0.damaged } == 5)
        // Scripts: 0 reserve only; 1 reserve, reject at S1; 2 reserve, reject at DC1; 3 reserve, cancel;
        // 4 reserve, reject at S1, cancel; 5 reserve, cancel, reject (409: cancelled).
        let orders = 48
        @Sendable func body(_ i: Int) -> String {
            let lines = i % 3 == 0
                ? #"[{"line":1,"sku":"A","qty":\#(1 + i % 2)},{"line":2,"sku":"B","qty":1}]"#
                : #"[{"line":1,"sku":"\#(i % 2 == 0 ? "A" : "B")","qty":\#(1 + i % 3)}]"#
            return #"{"lines":\#(lines),"ship_to_zone":"Z1","service":"standard","promise_date":"2026-03-10"}"#
        }
        @Sendable func script(_ i: Int) -> [Step] {
            let id = "S\(i)", reserve = Step(key: "\(id)-r", path: "/v1/orders/\(id)/reserve", body: body(i))
            func reject(_ loc: String, _ n: Int) -> Step {
                Step(key: "\(id)-j\(n)", path: "/v1/orders/\(id)/reject", body: #"{"location_id":"\#(loc)","reason":"storm"}"#)
            }
            let cancel = Step(key: "\(id)-c", path: "/v1/orders/\(id)/cancel", body: nil)
            switch i % 6 {
            case 0: return [reserve]
            case 1: return [reserve, reject("S1", 1)]
            case 2: return [reserve, reject("DC1", 1)]
            case 3: return [reserve, cancel]
            case 4: return [reserve, reject("S1", 1), cancel]
            default: return [reserve, cancel, reject("DC1", 1)]
            }
        }
        let results = try await f.testReturning { c in
            try await withThrowingTaskGroup(of: [(String, Int, String, Bool)].self) { group in
                for i in 0..<orders {
                    group.addTask {
                        var out: [(String, Int, String, Bool)] = []  // key, status, body, state-changing answer of this script
                        for (s, step) in script(i).enumerated() {
                            let n = i * 3 + s
                            func send() async throws -> APIResponse {
                                try await c.send(.post, step.path, role: "router", idempotencyKey: step.key, body: step.body)
                            }
                            if n % 10 == 0 {  // the same request twice at once
                                async let a = send()
                                async let b = send()
                                let (x, y) = try await (a, b)
                                out.append((step.key, Int(x.status.code), x.text, true))
                                out.append((step.key, Int(y.status.code), y.text, false))
                            } else {
                                let x = try await send()
                                out.append((step.key, Int(x.status.code), x.text, true))
                                if n % 10 == 5 {  // replayed after the first answer
                                    let y = try await send()
                                    out.append((step.key, Int(y.status.code), y.text, false))
                                }
                            }
                        }
                        return out
                    }
                }
                var all: [(String, Int, String, Bool)] = []
                for try await r in group { all += r }
                return all
            }
        }
        // Rejects after a cancel (script 5) answer 409 conflict, every other request 200.
        for r in results {
            let i = Int(r.0.dropFirst().prefix { $0.isNumber })!
            let expected = i % 6 == 5 && r.0.hasSuffix("-j1") ? 409 : 200
            #expect(r.1 == expected, "\(r.0): \(r.1) \(r.2)")
        }
        // Replays: every answer to a key is byte-identical to the first.
        let byKey = Dictionary(grouping: results, by: \.0)
        let replayed = byKey.filter { $0.value.count > 1 }
        #expect(replayed.count >= 20)
        for (key, answers) in replayed { #expect(answers.allSatisfy { $0.1 == answers[0].1 && $0.2 == answers[0].2 }, "\(key)") }

        let after = try positions(f.database)
        let ledger = try Self.read(f.database) { db in
            Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(
                    db,
                    sql: """
                        SELECT l.location_id || '/' || i.sku, SUM(r.qty) FROM reservations r JOIN locations l USING (location_key)
                        JOIN items i USING (item_key) GROUP BY r.location_key, r.item_key
                        """
                ).map { ($0[0] as String, $0[1] as Double) })
        }
        for (pos, p) in after {
            let b = try #require(before[pos])
            // Available-to-sell never below zero; reserved = before + the ledger's lines; no unit twice.
            #expect(p.onHand - p.reserved - p.damaged >= -1e-9, "\(pos)")
            #expect(abs(p.reserved - b.reserved - (ledger[pos] ?? 0)) < 1e-9, "\(pos): \(p.reserved) vs \(b.reserved) + \(ledger[pos] ?? 0)")
            #expect((ledger[pos] ?? 0) <= b.onHand - b.reserved - b.damaged + 1e-9, "\(pos)")
        }
        // Orders that keep their reservation (scripts 0-2) ask for far more than the 14 units: some
        // stock stays held, never more than there was.
        let heldUnits = ledger.values.reduce(0, +)
        #expect(heldUnits > 0 && heldUnits <= 14, "\(heldUnits)")
        let counts = try Self.read(f.database) { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT order_id, line FROM reservations GROUP BY order_id, line HAVING COUNT(*) > 1)")!,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reservations r JOIN router_orders o USING (order_id) WHERE o.status = 'cancelled'")!,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reservations r JOIN order_rejections j ON j.order_id = r.order_id AND j.location_key = r.location_key")!)
        }
        #expect(counts.0 == 0 && counts.1 == 0 && counts.2 == 0, "\(counts)")
        // Each order's reservations in the database are those of its last successful answer.
        let held = try Self.read(f.database) { db in
            try Row.fetchAll(
                db, sql: "SELECT r.order_id, r.line, l.location_id, r.qty FROM reservations r JOIN locations l USING (location_key) ORDER BY r.order_id, r.line"
            ).map { ("\($0[0] as String)", "\($0[1] as Int)/\($0[2] as String)/\($0[3] as Double)") }
        }
        let heldByOrder = Dictionary(grouping: held, by: \.0).mapValues { Set($0.map(\.1)) }
        for i in 0..<orders {
            let id = "S\(i)"
            let last = try #require(results.last { $0.0.hasPrefix("\(id)-") && $0.1 == 200 && $0.3 })
            let json = try #require(try JSONSerialization.jsonObject(with: Data(last.2.utf8)) as? [String: Any])
            let answered = Set(((json["reservations"] as? [[String: Any]]) ?? []).map { "\(Int(number($0["line"])))/\($0["location_id"] as? String ?? "")/\(number($0["qty"]))" })
            #expect(answered == (heldByOrder[id] ?? []), "\(id)")
        }
    }

    struct Position { var onHand: Double; var reserved: Double; var damaged: Double }

    /// A read outside the async context (GRDB would pick its async `read` inside the test).
    private static func read<T>(_ database: KeelDatabase, _ body: (Database) throws -> T) throws -> T {
        try database.pool.read(body)
    }

    private func positions(_ db: KeelDatabase) throws -> [String: Position] {
        try db.pool.read { db in
            var out: [String: Position] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT location_id, sku, on_hand, reserved, damaged FROM v_available_to_sell") {
                out["\(r[0] as String)/\(r[1] as String)"] = Position(onHand: r[2], reserved: r[3], damaged: r[4])
            }
            return out
        }
    }
}
