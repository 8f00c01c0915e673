import Foundation
import KeelCore
import KeelSourcing
import KeelTestSupport
import Testing

@testable import KeelServer

/// The options answer's hand-written JSON against Foundation's `JSONEncoder` (sorted keys,
/// snake case — what the API wrote before), byte for byte: real plans of the tiny retailer, and
/// a plan with awkward strings and numbers.
@Suite struct JSONWriterTests {
    /// What the endpoint answered with `JSONEncoder` before.
    struct Answer: Encodable {
        var orderId: String
        var plans: [SourcingPlan]
    }

    func foundation(_ orderId: String, _ plans: [SourcingPlan]) throws -> String {
        String(decoding: try JSONResponse.encoder().encode(Answer(orderId: orderId, plans: plans)), as: UTF8.self)
    }

    func written(_ orderId: String, _ plans: [SourcingPlan]) throws -> String {
        String(decoding: try KeelAPI.optionsAnswer(orderId: orderId, plans: plans), as: UTF8.self)
    }

    @Test func tinyRetailerPlansMatchFoundation() throws {
        let tiny = try TinyRetailer.importedDatabase()
        let service = try SourcingService(database: tiny.database)
        let orders = [
            SourcingOrder(
                orderId: "Q1", lines: [.init(line: 1, sku: "A", qty: 2), .init(line: 2, sku: "B", qty: 1)], shipToZone: "Z1",
                service: .standard, promiseDate: Day("2026-03-08")),
            SourcingOrder(orderId: "Q2", lines: [.init(line: 1, sku: "B", qty: 1000)], shipToZone: "Z1", service: .express, promiseDate: nil),
        ]
        for order in orders {
            let plans = try service.options(order, k: 3)
            #expect(!plans.isEmpty)
            #expect(try written(order.orderId, plans) == foundation(order.orderId, plans))
        }
    }

    @Test func awkwardStringsAndNumbersMatchFoundation() throws {
        // A plan decoded from Foundation's own output of these values, then re-encoded both ways.
        let text = #"""
            {"orderId":"O\"1/2\\x","rank":1,"shipments":[{"shipmentId":"s\u0001\n\t\r\u0008\u000c","locationId":"é漢😀","service":"express",
            "lines":[{"line":7,"sku":"K","qty":0.1,"shipCost":1e-7,"handlingCost":1e21,"signals":{"store_protection":-0.0,"aging_credit":123456789.125,
            "opportunity_cost":0.30000000000000004,"expected_return_cost":5e-324}}],"fixedCost":2.0,"shipCost":-1.5,"handlingCost":3,"adjustment":1.7976931348623157e308,
            "signals":{"store_protection":0,"aging_credit":0,"opportunity_cost":0,"expected_return_cost":0},"expectedDelivery":"2026-03-08","promiseMet":false}],
            "unsourced":[{"line":2,"sku":"Z","qty":3,"reason":"no node has 3 units of Z available"}],"shippingCost":100,"handlingCost":0.5,"adjustment":0,
            "signals":{"store_protection":0,"aging_credit":0,"opportunity_cost":0,"expected_return_cost":0},"totalCost":15.56,"lateLines":1,"objective":1e16,
            "exact":true,"nodes":[{"locationId":"DC1","chosen":true,"reason":"ships lines 1,2 for 6.16 (shipping 5.66 + handling 0.50)"},
            {"locationId":"S1","chosen":false,"reason":"more expensive: a shipment from it costs at least 9.40"}]}
            """#
        let plan = try JSONDecoder().decode(SourcingPlan.self, from: Data(text.utf8))
        let a = try written("Q\"/", [plan, plan]), b = try foundation("Q\"/", [plan, plan])
        #expect(a == b)
        #expect(a.contains(#""shipment_id":"s\u0001\n\t\r\b\f""#))
        #expect(a.contains(#""handling_cost":1e+21"#) || a.contains(#""handling_cost":1e21"#))
        #expect(try written("E", []) == foundation("E", []))
    }

    @Test func laterPlansReuseOnlyTheNodesEqualToTheFirstPlans() throws {
        // The writer copies a later plan's node objects from the first plan's where they are equal
        // (`SourcingPlan.NodeMemo`): plans whose nodes differ in the chosen flag, the reason, the
        // id, the count and the order must still match Foundation byte for byte.
        let tiny = try TinyRetailer.importedDatabase()
        let order = SourcingOrder(
            orderId: "Q1", lines: [.init(line: 1, sku: "A", qty: 2), .init(line: 2, sku: "B", qty: 1)], shipToZone: "Z1",
            service: .standard, promiseDate: Day("2026-03-08"))
        let first = try SourcingService(database: tiny.database).options(order, k: 1)[0]
        #expect(first.nodes.count >= 2)
        var flipped = first, renamed = first, shorter = first, longer = first, reversed = first
        flipped.nodes[0].chosen.toggle()
        renamed.nodes[1].reason += " (again)"
        renamed.nodes[0].locationId += "X"
        shorter.nodes.removeLast()
        var extra = first.nodes[1]
        extra.locationId = "NEW"
        longer.nodes.append(extra)
        reversed.nodes.reverse()
        for plans in [[first, flipped, renamed, shorter, longer, reversed, first], [shorter, first, longer], [first, first, first]] {
            #expect(try written("Q1", plans) == foundation("Q1", plans))
        }
    }

    @Test func nonFiniteNumbersAreRefused() throws {
        var w = JSONWriter()
        w.beginObject()
        #expect(throws: JSONWriter.NonFiniteNumber.self) { try w.field("cost", Double.nan) }
        #expect(throws: JSONWriter.NonFiniteNumber.self) { try w.field("cost", -Double.infinity) }
    }
}
