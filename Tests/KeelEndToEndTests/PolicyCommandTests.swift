import Foundation
import KeelTestSupport
import Testing

/// `keel policy KIND … --json` on the built binary: one JSON object with the named keys, a
/// readable summary without `--json`, exit 2 and `keel: error:` on bad input.
@Suite struct PolicyCommandTests {
    func json(_ arguments: [String]) throws -> [String: Any] {
        let r = try KeelBinary.run(["policy"] + arguments + ["--json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    }

    @Test func everyKindPrintsItsKeys() throws {
        // Hillier & Lieberman's speaker example (Q* = 25,298).
        let eoq = try json(["eoq", "--fixed-cost", "12000", "--holding", "0.3", "--demand-rate", "8000"])
        #expect(abs((eoq["order_quantity"] as! Double) - 25_298) <= 0.5)
        #expect(eoq["cost"] is Double)
        let nv = try json(["newsvendor", "--holding", "1", "--stockout", "9", "--poisson", "5"])
        #expect(nv["base_stock"] as? Double == 8)
        let nvNormal = try json(["newsvendor", "--holding", "2", "--stockout", "8", "--mean", "20", "--sd", "5", "--lead-time", "3"])
        #expect(abs((nvNormal["base_stock"] as! Double) - 88.416_212) <= 1e-5)
        let rq = try json(["rq", "--holding", "1", "--stockout", "9", "--fixed-cost", "64", "--poisson", "10", "--lead-time", "2"])
        #expect(rq["reorder_point"] is Double && rq["order_quantity"] is Double && rq["cost"] is Double)
        let continuous = try json([
            "rq", "--holding", "1", "--stockout", "9", "--fixed-cost", "25", "--poisson", "3", "--lead-time", "2",
            "--review", "continuous",
        ])
        #expect(abs((continuous["order_frequency"] as! Double) * (continuous["order_quantity"] as! Double) - 3) <= 1e-12)  // λ/Q orders
        let ss = try json(["ss", "--holding", "1", "--stockout", "9", "--fixed-cost", "64", "--poisson", "10"])
        #expect(ss["s"] is Int && ss["S"] is Int && ss["cost"] is Double)
        // Nahmias's Wagner–Whitin example: cost 310.
        let ww = try json(["wagner-whitin", "--holding", "2", "--fixed-cost", "80", "--demand", "18,30,42,5,20"])
        #expect(ww["order_quantities"] as? [Double] == [48, 0, 67, 0, 0])
        #expect(ww["cost"] as? Double == 310)
        let safety = try json(["safety-stock", "--service", "cycle", "--target", "0.95", "--poisson", "8"])
        #expect(safety["reorder_point"] as? Double == 13)
        #expect(safety["safety_stock"] as? Double == 5)
        let fill = try json([
            "safety-stock", "--service", "fill", "--target", "0.98", "--order-quantity", "40",
            "--mean", "20", "--sd", "5", "--lead-time", "3",
        ])
        #expect(abs((fill["fill_rate"] as! Double) - 0.98) <= 1e-6)
        // (R, S): Poisson 4 per period, L 2, R 3 → the 0.95-quantile of Poisson(20) is 28.
        let orderUpTo = try json([
            "safety-stock", "--service", "cycle", "--target", "0.95", "--poisson", "4", "--lead-time", "2", "--review-period", "3",
        ])
        #expect(orderUpTo["order_up_to_level"] as? Double == 28)
        #expect(orderUpTo["reorder_point"] == nil)
    }

    @Test func readableSummaryWithoutJSON() throws {
        let r = try KeelBinary.run(["policy", "eoq", "--fixed-cost", "100", "--holding", "2", "--demand-rate", "400"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("order quantity 200.0000"))
    }

    @Test(arguments: [
        (["newsvendor", "--holding", "1", "--stockout", "9", "--mean", "10", "--sd", "2", "--lead-time=-1"], "lead time"),
        (["safety-stock", "--service", "cycle", "--target", "1.2", "--poisson", "5"], "service target"),
        (["safety-stock", "--service", "fill", "--target", "0.9", "--poisson", "5"], "--order-quantity"),
        (["safety-stock", "--service", "fill", "--target", "0.9", "--poisson", "5", "--review-period", "0"], "review period"),
        (["safety-stock", "--service", "cycle", "--target", "0.9", "--pmf", ""], "--pmf"),
        (["eoq", "--fixed-cost=-5", "--holding", "1", "--demand-rate", "10"], "fixed cost"),
        (["wagner-whitin", "--holding", "1", "--fixed-cost", "10", "--demand", "3,-1"], "demand"),
        (["ss", "--holding", "1", "--stockout", "9", "--fixed-cost", "5", "--mean", "5", "--sd", "1"], "--poisson"),
        (["rq", "--holding", "1", "--stockout", "9", "--fixed-cost", "5", "--poisson", "0", "--lead-time", "1"], "demand"),
        (["rq", "--holding", "1", "--stockout", "9", "--fixed-cost", "5", "--poisson", "2", "--lead-time", "1", "--review", "weekly"], "--review"),
    ])
    func badInputExitsTwo(arguments: [String], mentions: String) throws {
        let r = try KeelBinary.run(["policy"] + arguments)
        #expect(r.status == 2, "\(arguments): \(r.stderr)")
        #expect(r.stderr.hasPrefix("keel: error:"))
        #expect(r.stderr.contains(mentions), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}
