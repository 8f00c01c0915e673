import Foundation
import KeelCore
import KeelServer
import KeelStore
import KeelTestSupport
import Testing

/// The API's sourcing network follows new imports without a restart.
@Suite struct APIRefreshTests {
    @Test func aNewImportIsSeenByTheNextRequest() async throws {
        let f = try APIFixture.make()
        let order = #"{"lines":[{"line":1,"sku":"B","qty":1}],"ship_to_zone":"Z9","service":"standard","promise_date":"2026-03-10"}"#
        try await f.test { c in
            let before = try await c.send(.post, "/v1/sourcing/options", role: "router", body: order)
            #expect(before.status == .badRequest && before.errorMessage.contains("Z9"), "\(before.text)")
        }
        // A new zone and a DC1 rate to it: 4 + 0.5/kg, 3 days.
        let dir = TemporaryDirectory("keel-refresh")
        dir.write("zones.csv", "zone,latitude,longitude\nZ9,40.0,-88.0\n")
        dir.write("shipping_rates.csv", "from_location_id,to_zone,service,cost_per_shipment,cost_per_kg,transit_days\nDC1,Z9,standard,4,0.5,3\n")
        try f.database.importFiles([dir.file("zones.csv"), dir.file("shipping_rates.csv")])
        try await f.test { c in
            let after = try await c.send(.post, "/v1/sourcing/options", role: "router", body: order)
            #expect(after.status == .ok, "\(after.text)")
            // B (0.4 kg) from DC1: 4 + 0.5 × 0.4 = 4.2 shipping + 0.5 pick = 4.7.
            let plan = try #require((after.json["plans"] as? [[String: Any]])?.first)
            #expect(abs(number(plan["total_cost"]) - 4.7) < 1e-9 && abs(number(plan["shipping_cost"]) - 4.2) < 1e-9, "\(plan)")
        }
    }
}
