import Foundation
import GRDB
import KeelCore
import KeelServer
import KeelSourcing
import KeelStore
import Testing

/// Plans, anomalies, health, metrics and the OpenAPI document.
@Suite struct APIReadTests {
    @Test func plansGiveTheLatestSourcingRunFilteredAndPaged() async throws {
        let f = try APIFixture.make()
        // The batch sources the tiny retailer's open orders: O9 line 1 (B×1, Z1 standard) from DC1
        // at 5.5 + 0.4 kg × 0.4 = 5.66 shipping + 0.5 pick; O9 line 2 (A×2) from S1 at 7 + 2.4;
        // O10 (A×1, pickup at S1) at S1.
        let run = try RouteJob.run(f.database)
        try await f.test { c in
            let all = try await c.send(.get, "/v1/plans/sourcing", role: "planner")
            #expect(all.status == .ok, "\(all.text)")
            #expect(number(all.json["run_id"]) == Double(run.runId) && number(all.json["total"]) == 3)
            let rows = all.json["rows"] as? [[String: Any]] ?? []
            let o9l1 = try #require(rows.first { $0["order_id"] as? String == "O9" && number($0["line"]) == 1 })
            #expect(o9l1["location_id"] as? String == "DC1" && o9l1["shipment_id"] as? String == "O9-DC1-standard")
            #expect(abs(number(o9l1["ship_cost"]) - 5.66) < 1e-9 && abs(number(o9l1["handling_cost"]) - 0.5) < 1e-9)
            #expect(o9l1["expected_delivery"] as? String == "2026-03-07" && o9l1["promise_met"] as? Bool == true)
            let o9l2 = try #require(rows.first { $0["order_id"] as? String == "O9" && number($0["line"]) == 2 })
            #expect(o9l2["location_id"] as? String == "S1" && abs(number(o9l2["ship_cost"]) - 7) < 1e-9 && abs(number(o9l2["handling_cost"]) - 2.4) < 1e-9)

            let s1 = try await c.send(.get, "/v1/plans/sourcing?location_id=S1", role: "planner")
            #expect(number(s1.json["total"]) == 2)
            #expect((s1.json["rows"] as? [[String: Any]] ?? []).allSatisfy { $0["location_id"] as? String == "S1" })
            let page = try await c.send(.get, "/v1/plans/sourcing?limit=1&offset=1", role: "planner")
            let pageRows = page.json["rows"] as? [[String: Any]] ?? []
            #expect(number(page.json["total"]) == 3 && pageRows.count == 1)
            #expect(pageRows.first?["order_id"] as? String == rows[1]["order_id"] as? String
                && number(pageRows.first?["line"]) == number(rows[1]["line"]))

            for bad in ["limit=0", "limit=1001", "offset=-1", "limit=ten", "sku=A"] {
                let r = try await c.send(.get, "/v1/plans/sourcing?\(bad)", role: "planner")
                #expect(r.status == .badRequest && r.errorCode == "invalid_request", "\(bad): \(r.text)")
            }
            let none = try await c.send(.get, "/v1/plans/replenishment", role: "planner")
            #expect(none.status == .notFound && none.errorCode == "not_found")
            let kind = try await c.send(.get, "/v1/plans/kpis", role: "planner")
            #expect(kind.status == .notFound && kind.errorCode == "not_found")
        }
    }

    @Test func forecastPagesCarryTheRunsQuantiles() async throws {
        let f = try APIFixture.make()
        let keys = (Int64(try f.strings("SELECT CAST(location_key AS TEXT) FROM locations WHERE location_id = 'S1'")[0])!,
                    Int64(try f.strings("SELECT CAST(item_key AS TEXT) FROM items WHERE sku = 'A'")[0])!)
        // Two days for S1/A with levels 0.5, 0.9 and 0.95; a free-id row with no quantiles stored.
        let rows = [
            ForecastRow(channel: .store, locationKey: keys.0, itemKey: keys.1, uniqueId: nil, day: Day("2026-03-06")!, yhat: 2.5,
                        quantiles: [2, 4.25, 5.5], model: "test"),
            ForecastRow(channel: .store, locationKey: keys.0, itemKey: keys.1, uniqueId: nil, day: Day("2026-03-07")!, yhat: 3,
                        quantiles: [3, 5, 6.125], model: "test"),
            ForecastRow(channel: nil, locationKey: nil, itemKey: nil, uniqueId: "free", day: Day("2026-03-06")!, yhat: 1,
                        quantiles: [], model: "test"),
        ]
        let run = try f.database.writeForecastRun(
            startedAt: RunLog.now(), asOf: Day("2026-03-05")!, parameters: "{}", timings: "{}", notes: nil, levels: [0.5, 0.9, 0.95], rows: rows)
        try await f.test { c in
            let page = try await c.send(.get, "/v1/plans/forecasts?sku=A", role: "planner")
            #expect(page.status == .ok, "\(page.text)")
            #expect(number(page.json["run_id"]) == Double(run) && number(page.json["total"]) == 2)
            let got = page.json["rows"] as? [[String: Any]] ?? []
            #expect(got.count == 2)
            let first = try #require(got.first)
            #expect(first["ds"] as? String == "2026-03-06" && first["location_id"] as? String == "S1" && number(first["yhat"]) == 2.5)
            #expect(number(first["q0.5"]) == 2 && number(first["q0.9"]) == 4.25 && number(first["q0.95"]) == 5.5, "\(first)")
            #expect(number(got[1]["q0.95"]) == 6.125)
            let free = try await c.send(.get, "/v1/plans/forecasts?offset=2", role: "planner")
            let row = try #require((free.json["rows"] as? [[String: Any]])?.first)
            #expect(row["unique_id"] as? String == "free" && row["q0.5"] is NSNull && row["q0.95"] is NSNull, "\(free.text)")
        }
    }

    @Test func anomaliesListFilterAndChangeStatus() async throws {
        let f = try APIFixture.make()
        try f.execute("INSERT INTO runs(run_id, kind, status, started_at, finished_at) VALUES (900, 'anomalies', 'succeeded', 'x', 'x')")
        for (i, kind) in ["price_below_cost", "price_below_cost", "refund_without_sale"].enumerated() {
            try f.execute(
                "INSERT INTO anomalies(anomaly_id, run_id, kind, severity, score, amount_at_risk, explanation, fingerprint) VALUES (?, 900, ?, 'high', 3, 12.5, 'test', ?)",
                [i + 1, kind, "fp\(i)"])
        }
        try await f.test { c in
            let open = try await c.send(.get, "/v1/anomalies?status=open", role: "finance")
            #expect(open.status == .ok && number(open.json["total"]) == 3, "\(open.text)")
            let kind = try await c.send(.get, "/v1/anomalies?kind=price_below_cost&limit=1", role: "finance")
            #expect(number(kind.json["total"]) == 2 && (kind.json["rows"] as? [Any])?.count == 1)
            // Newest first.
            #expect(number((kind.json["rows"] as? [[String: Any]])?.first?["anomaly_id"]) == 2)

            let ack = try await c.send(.patch, "/v1/anomalies/1", role: "finance", body: #"{"status":"acknowledged","note":"checking"}"#)
            #expect(ack.status == .ok && ack.json["from"] as? String == "open" && ack.json["to"] as? String == "acknowledged", "\(ack.text)")
            let acked = try await c.send(.get, "/v1/anomalies?status=acknowledged", role: "finance")
            let row = (acked.json["rows"] as? [[String: Any]])?.first ?? [:]
            #expect(number(acked.json["total"]) == 1 && row["note"] as? String == "checking" && number(row["anomaly_id"]) == 1)

            let back = try await c.send(.patch, "/v1/anomalies/1", role: "finance", body: #"{"status":"open"}"#)
            #expect(back.status == .conflict && back.errorCode == "illegal_transition")
            let missing = try await c.send(.patch, "/v1/anomalies/999", role: "finance", body: #"{"status":"resolved"}"#)
            #expect(missing.status == .notFound && missing.errorCode == "not_found")
            let bogus = try await c.send(.patch, "/v1/anomalies/2", role: "finance", body: #"{"status":"closed"}"#)
            #expect(bogus.status == .badRequest && bogus.errorCode == "invalid_request")
            let badFilter = try await c.send(.get, "/v1/anomalies?status=closed", role: "finance")
            #expect(badFilter.status == .badRequest)
            #expect(try await c.send(.patch, "/v1/anomalies/2", role: "router", body: #"{"status":"resolved"}"#).status == .forbidden)
        }
        let statuses = try f.strings("SELECT status FROM anomalies ORDER BY anomaly_id")
        #expect(statuses == ["acknowledged", "open", "open"])
    }

    @Test func openAPICoversEveryRouteAndEveryRouteIsServed() async throws {
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        #expect(doc["openapi"] as? String == "3.1.0")
        let paths = doc["paths"] as? [String: [String: Any]] ?? [:]
        for route in KeelAPI.routes {
            #expect(paths[route.path]?[route.method.lowercased()] != nil, "\(route.method) \(route.path) missing from openapi.json")
        }
        #expect(paths.values.reduce(0) { $0 + $1.count } == KeelAPI.routes.count)
        let f = try APIFixture.make()
        try await f.test { c in
            for route in KeelAPI.routes {
                let path = route.path.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{sku}", with: "B")
                    .replacingOccurrences(of: "{kind}", with: "sourcing")
                let r = try await c.send(.init(route.method)!, path)
                #expect(r.errorCode != "route_not_found" && r.status != .notFound, "\(route.method) \(path): \(r.text)")
                #expect(r.status == (path.hasPrefix("/v1/") ? .unauthorized : .ok), "\(route.method) \(path)")
            }
            let served = try await c.send(.get, "/openapi.json")
            #expect(served.text == OpenAPIDocument.json && served.headers[.contentType] == "application/json")
            let nowhere = try await c.send(.get, "/v2/nothing")
            #expect(nowhere.status == .notFound && nowhere.errorCode == "route_not_found")
        }
    }

    @Test func healthAndMetrics() async throws {
        let f = try APIFixture.make()
        try await f.test { c in
            let h = try await c.send(.get, "/healthz")
            #expect(h.status == .ok && h.json["status"] as? String == "ok")
            for _ in 0..<3 { _ = try await c.send(.get, "/v1/inventory/B", role: "router") }
            _ = try await c.send(.get, "/v1/inventory/B")
            let m = try await c.send(.get, "/metrics")
            #expect(m.status == .ok)
            let lines = Set(m.text.split(separator: "\n").map(String.init))
            #expect(lines.contains(#"keel_http_requests_total{route="/v1/inventory/{sku}",method="GET",status="200"} 3"#), "\(m.text)")
            #expect(lines.contains(#"keel_http_requests_total{route="/v1/inventory/{sku}",method="GET",status="401"} 1"#))
            #expect(lines.contains(#"keel_http_requests_total{route="/healthz",method="GET",status="200"} 1"#))
            #expect(lines.contains(#"keel_http_request_duration_seconds_bucket{route="/v1/inventory/{sku}",le="+Inf"} 4"#))
            #expect(lines.contains(#"keel_http_request_duration_seconds_count{route="/v1/inventory/{sku}"} 4"#))
            #expect(lines.contains("# TYPE keel_http_request_duration_seconds histogram"))
        }
    }
}
