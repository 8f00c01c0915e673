import Foundation
import GRDB
import KeelCore
import KeelServer
import KeelStore
import Testing

/// Options, reserve, reject, cancel and inventory through HTTP, on the tiny retailer (facts in
/// `APIFixture`). Costs worked by hand:
/// - B×1 from DC1 to Z1 standard: 5.5 + 0.4 kg × 0.4 = 5.66 shipping + 0.5 pick = 6.16;
/// - A×2 from S1 to Z1 standard: 7 shipping (no per-kg rate) + 2 × 1.2 pick = 9.4;
/// - A×2 from DC1 (when DC1 holds A): 5.5 + 0.4 kg × 0.4 = 5.66 + 2 × 0.5 = 6.66.
@Suite struct APISourcingTests {
    static let tolerance = 1e-9

    @Test func optionsRankPlansWithTheHandComputedCost() async throws {
        let f = try APIFixture.make()
        try await f.test { c in
            let body = #"{"order_id":"Q1","lines":[{"line":1,"sku":"A","qty":2},{"line":2,"sku":"B","qty":1}],"ship_to_zone":"Z1","service":"standard","promise_date":"2026-03-08"}"#
            let r = try await c.send(.post, "/v1/sourcing/options", role: "router", body: body)
            #expect(r.status == .ok, "\(r.text)")
            let plans = r.json["plans"] as? [[String: Any]] ?? []
            #expect(r.json["order_id"] as? String == "Q1")
            let best = try #require(plans.first)
            #expect(abs(number(best["total_cost"]) - 15.56) < Self.tolerance)
            #expect(abs(number(best["shipping_cost"]) - 12.66) < Self.tolerance)
            #expect(abs(number(best["handling_cost"]) - 2.9) < Self.tolerance)
            let shipments = best["shipments"] as? [[String: Any]] ?? []
            #expect(Set(shipments.compactMap { $0["location_id"] as? String }) == ["S1", "DC1"])
            #expect(shipments.allSatisfy { $0["promise_met"] as? Bool == true })
            // Ranked: no alternative is cheaper than the best.
            for p in plans { #expect(number(p["objective"]) >= number(best["objective"]) - Self.tolerance) }
        }
        // Options reserve nothing.
        #expect(try f.reserved() == ["DC1/B": 5, "S2/C": 1])
    }

    @Test func reserveMovesUnitsAndReplayAnswersIdentically() async throws {
        let f = try APIFixture.make()
        let order = #"{"lines":[{"line":1,"sku":"B","qty":1}],"ship_to_zone":"Z1","service":"standard","promise_date":"2026-03-08"}"#
        try await f.test { c in
            let first = try await c.send(.post, "/v1/orders/W1/reserve", role: "router", idempotencyKey: "w1", body: order)
            #expect(first.status == .ok, "\(first.text)")
            #expect(first.json["status"] as? String == "reserved")
            #expect(abs(number(first.json["total_cost"]) - 6.16) < Self.tolerance)
            let lines = first.json["reservations"] as? [[String: Any]] ?? []
            #expect(lines.count == 1 && lines[0]["location_id"] as? String == "DC1" && lines[0]["shipment_id"] as? String == "W1-DC1-standard")
            let replay = try await c.send(.post, "/v1/orders/W1/reserve", role: "router", idempotencyKey: "w1", body: order)
            #expect(replay.status == .ok && replay.text == first.text)
            // Same order, new key: conflict, nothing more reserved.
            let again = try await c.send(.post, "/v1/orders/W1/reserve", role: "router", idempotencyKey: "w1-b", body: order)
            #expect(again.status == .conflict && again.errorCode == "conflict")
            // Inventory: DC1/B reserved 5 + 1, available 93 − 1.
            let inv = try await c.send(.get, "/v1/inventory/B", role: "planner")
            let node = (inv.json["nodes"] as? [[String: Any]] ?? []).first ?? [:]
            #expect(node["location_id"] as? String == "DC1" && number(node["reserved"]) == 6 && number(node["available_to_sell"]) == 92)
            #expect(number(inv.json["available_to_sell"]) == 92)
        }
        #expect(try f.reserved() == ["DC1/B": 6, "S2/C": 1])
    }

    @Test func rejectReleasesAndReSourcesElsewhere() async throws {
        let f = try APIFixture.make { db in
            try db.pool.write { d in
                try d.execute(
                    sql: """
                        INSERT INTO inventory_positions(location_key, item_key, on_hand, as_of)
                        VALUES ((SELECT location_key FROM locations WHERE location_id = 'DC1'), (SELECT item_key FROM items WHERE sku = 'A'), 10, ?)
                        """, arguments: [Int(Day("2026-03-05")!.rawValue)])
            }
        }
        let order = #"{"lines":[{"line":1,"sku":"A","qty":2}],"ship_to_zone":"Z1","service":"standard","promise_date":"2026-03-08"}"#
        try await f.test { c in
            let reserved = try await c.send(.post, "/v1/orders/W2/reserve", role: "router", idempotencyKey: "w2", body: order)
            #expect(reserved.status == .ok && abs(number(reserved.json["total_cost"]) - 6.66) < Self.tolerance, "\(reserved.text)")
            let reject = #"{"location_id":"DC1","reason":"damaged stock"}"#
            let after = try await c.send(.post, "/v1/orders/W2/reject", role: "router", idempotencyKey: "w2-r", body: reject)
            #expect(after.status == .ok, "\(after.text)")
            let lines = after.json["reservations"] as? [[String: Any]] ?? []
            #expect(lines.count == 1 && lines[0]["location_id"] as? String == "S1" && number(lines[0]["qty"]) == 2)
            #expect(abs(number(after.json["total_cost"]) - 9.4) < Self.tolerance)
            let replay = try await c.send(.post, "/v1/orders/W2/reject", role: "router", idempotencyKey: "w2-r", body: reject)
            #expect(replay.text == after.text)
            let noReason = try await c.send(.post, "/v1/orders/W2/reject", role: "router", idempotencyKey: "w2-x", body: #"{"location_id":"S1"}"#)
            #expect(noReason.status == .badRequest && noReason.errorCode == "invalid_request" && noReason.errorMessage.contains("reason"))
            let unknown = try await c.send(.post, "/v1/orders/NOPE/reject", role: "router", idempotencyKey: "n-r", body: reject)
            #expect(unknown.status == .notFound && unknown.errorCode == "not_found")
        }
        // DC1/A released, S1/A holds the 2 units: never both.
        #expect(try f.reserved() == ["S1/A": 2, "DC1/B": 5, "S2/C": 1])
    }

    @Test func cancelReleasesEverything() async throws {
        let f = try APIFixture.make()
        let order = #"{"lines":[{"line":1,"sku":"B","qty":2}],"ship_to_zone":"Z1","service":"standard"}"#
        try await f.test { c in
            #expect(try await c.send(.post, "/v1/orders/W3/reserve", role: "router", idempotencyKey: "w3", body: order).status == .ok)
            #expect(try f.reserved()["DC1/B"] == 7)
            let missingKey = try await c.send(.post, "/v1/orders/W3/cancel", role: "router")
            #expect(missingKey.status == .badRequest && missingKey.errorCode == "missing_idempotency_key")
            let cancelled = try await c.send(.post, "/v1/orders/W3/cancel", role: "router", idempotencyKey: "w3-c")
            #expect(cancelled.status == .ok && cancelled.json["status"] as? String == "cancelled")
            #expect((cancelled.json["reservations"] as? [Any])?.isEmpty == true)
            #expect(try await c.send(.post, "/v1/orders/W3/cancel", role: "router", idempotencyKey: "w3-c").text == cancelled.text)
            let unknown = try await c.send(.post, "/v1/orders/NOPE/cancel", role: "router", idempotencyKey: "nope-c")
            #expect(unknown.status == .notFound && unknown.errorCode == "not_found")
        }
        #expect(try f.reserved() == ["DC1/B": 5, "S2/C": 1])
    }

    @Test func badInputIsRefusedWithACodeAndNothingIsReserved() async throws {
        let f = try APIFixture.make()
        @Sendable func order(sku: String = "B", qty: String = "1", zone: String = "Z1", service: String = "standard", promise: String = "2026-03-08") -> String {
            #"{"lines":[{"line":1,"sku":"\#(sku)","qty":\#(qty)}],"ship_to_zone":"\#(zone)","service":"\#(service)","promise_date":"\#(promise)"}"#
        }
        let cases: [(String, Int, String, String)] = [
            (order(sku: "NOPE"), 400, "invalid_request", "lines[0].sku"),
            (order(zone: "Z9"), 400, "invalid_request", "ship_to_zone"),
            (order(qty: "0"), 400, "invalid_request", "lines[0].qty"),
            (order(qty: "-2"), 400, "invalid_request", "lines[0].qty"),
            (order(promise: "2026-03-01"), 400, "invalid_request", "promise_date"),
            (order(service: "drone"), 400, "invalid_request", "service"),
            (#"{"lines": [{"line": 1, "sku": "B""#, 400, "malformed_json", "JSON"),
            (#"{"ship_to_zone":"Z1","service":"standard"}"#, 400, "invalid_request", "lines"),
            (String(repeating: " ", count: 70_000) + order(), 413, "body_too_large", "65536"),
        ]
        try await f.test { c in
            for (i, (body, status, code, field)) in cases.enumerated() {
                for path in ["/v1/orders/BAD\(i)/reserve", "/v1/sourcing/options"] {
                    let r = try await c.send(.post, path, role: "router", idempotencyKey: "bad-\(i)", body: body)
                    #expect(r.status.code == status && r.errorCode == code, "\(path) case \(i): \(r.status) \(r.text)")
                    #expect(r.errorMessage.contains(field), "case \(i): \(r.errorMessage)")
                }
            }
            let noKey = try await c.send(.post, "/v1/orders/BAD/reserve", role: "router", body: order())
            #expect(noKey.status == .badRequest && noKey.errorCode == "missing_idempotency_key")
            let mismatch = try await c.send(
                .post, "/v1/orders/BAD/reserve", role: "router", idempotencyKey: "m",
                body: #"{"order_id":"OTHER","lines":[{"line":1,"sku":"B","qty":1}],"ship_to_zone":"Z1","service":"standard"}"#)
            #expect(mismatch.status == .badRequest && mismatch.errorMessage.contains("order_id"))
            let unknownSku = try await c.send(.get, "/v1/inventory/NOPE", role: "router")
            #expect(unknownSku.status == .notFound && unknownSku.errorCode == "not_found")
        }
        #expect(try f.reserved() == ["DC1/B": 5, "S2/C": 1])
        #expect(try f.database.count("reservations") == 0 && f.database.count("idempotency_keys") == 0)
    }

    @Test func concurrentReservesOverHTTPNeverOversellAndReplaysMatch() async throws {
        // S1 holds 5 units of A, the only A in the network (4 on hand in the 03-04 snapshot + 1
        // restocked by return R1 on 03-05). 12 orders of A×1, each sent twice with its key, all at
        // once: exactly 5 orders get a unit, every replay answers as the first.
        let f = try APIFixture.make()
        try await f.test { c in
            let answers = try await withThrowingTaskGroup(of: (Int, APIResponse).self) { group in
                for i in 0..<12 {
                    for _ in 0..<2 {
                        group.addTask {
                            let body = #"{"lines":[{"line":1,"sku":"A","qty":1}],"ship_to_zone":"Z1","service":"standard"}"#
                            return (i, try await c.send(.post, "/v1/orders/H\(i)/reserve", role: "router", idempotencyKey: "hot-\(i)", body: body))
                        }
                    }
                }
                var all: [Int: [APIResponse]] = [:]
                for try await (i, r) in group { all[i, default: []].append(r) }
                return all
            }
            #expect(answers.count == 12)
            var served = 0
            for (i, pair) in answers {
                #expect(pair.count == 2 && pair[0].status == .ok && pair[0].text == pair[1].text, "order \(i)")
                if !((pair[0].json["reservations"] as? [Any]) ?? []).isEmpty { served += 1 }
            }
            #expect(served == 5)
        }
        #expect(try f.reserved()["S1/A"] == 5)
    }

    @Test func inventoryGivesAvailableToSellByNode() async throws {
        let f = try APIFixture.make()
        try await f.test { c in
            let r = try await c.send(.get, "/v1/inventory/B", role: "router")
            #expect(r.status == .ok)
            let nodes = r.json["nodes"] as? [[String: Any]] ?? []
            #expect(nodes.count == 1)
            let n = nodes.first ?? [:]
            #expect(n["location_id"] as? String == "DC1" && n["location_type"] as? String == "dc")
            #expect(number(n["on_hand"]) == 100 && number(n["reserved"]) == 5 && number(n["damaged"]) == 2 && number(n["in_transit"]) == 20)
            #expect(number(n["available_to_sell"]) == 93 && number(r.json["available_to_sell"]) == 93)
        }
    }
}
