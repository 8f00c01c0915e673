import KeelCore
import KeelSourcing
import KeelStore
import KeelTestSupport
import Testing

/// Single-order optimum on the fixture network; every expected figure is worked out by hand
/// from the rates in `SourcingFixture` (costs are exact sums of decimals: tolerance 1e-9).
@Suite struct OrderOptimizerTests {
    let folder: TemporaryDirectory
    let service: SourcingService

    init() throws {
        let (dir, db) = try SourcingFixture.database()
        folder = dir
        service = try SourcingService(database: db, asOf: SourcingFixture.asOf)
    }

    @Test func singleShipmentBeatsSplitAndAlternativesAreRanked() throws {
        // A(1 kg) + B(2 kg), one unit each, to Z1:
        //   DC1 alone: 5 + 1×3 kg = 8 shipping, 1.0×2 = 2 handling → 10
        //   DC2 alone: 8 + 0.5×3 = 9.5 shipping, 0.5×2 = 1 handling → 10.5
        //   A DC1 + B DC2: (5+1) + 1 + (8+1) + 0.5 = 16.5  (next best; S1 splits cost ≥ 17)
        let plans = try service.options(SourcingFixture.order("X1", [("A", 1), ("B", 1)]), k: 3)
        #expect(plans.count == 3)
        #expect(plans.map(\.rank) == [1, 2, 3])
        #expect(abs(plans[0].totalCost - 10) < 1e-9 && abs(plans[0].shippingCost - 8) < 1e-9 && abs(plans[0].handlingCost - 2) < 1e-9)
        #expect(plans[0].shipments.map(\.locationId) == ["DC1"])
        #expect(plans[0].shipments[0].shipmentId == "X1-DC1-standard")
        #expect(abs(plans[1].totalCost - 10.5) < 1e-9 && plans[1].shipments.map(\.locationId) == ["DC2"])
        #expect(abs(plans[2].totalCost - 16.5) < 1e-9)
        #expect(Set(plans[2].shipments.map { $0.locationId }) == ["DC1", "DC2"])
        // All signals off: the total is exactly shipping + handling.
        for p in plans { #expect(p.adjustment == 0 && p.totalCost == p.shippingCost + p.handlingCost && p.exact) }
        // Every node is explained.
        let reasons = Dictionary(uniqueKeysWithValues: plans[0].nodes.map { ($0.locationId, $0) })
        #expect(reasons["DC1"]?.chosen == true)
        #expect(reasons["DC2"]?.chosen == false && reasons["S1"]?.chosen == false)
        #expect(reasons["S1"]?.reason.contains("more expensive") == true)
    }

    @Test func splitWhenNoNodeHoldsEverything() throws {
        // A qty 3 + B qty 1: DC1 = 5 + (3 + 2) kg + 1.0×4 = 14; DC2 = 8 + 0.5×5 + 0.5×4 = 12.5 → DC2.
        let p = try service.options(SourcingFixture.order("X2", [("A", 3), ("B", 1)]), k: 1)[0]
        #expect(p.shipments.map(\.locationId) == ["DC2"] && abs(p.totalCost - 12.5) < 1e-9)
        // With A only at DC2 and B only at DC1 the order must split:
        // A from DC2 = 8 + 0.5 + 0.5 = 9, B from DC1 = 5 + 2 + 1 = 8 → 17 in two shipments.
        let network = service.network
        let order = try network.resolve(SourcingFixture.order("X4", [("A", 1), ("B", 1)]), rejectPastPromise: true)
        let key = { (loc: String, sku: String, qty: Double) in
            SourcingSnapshot.Stock(
                locationKey: network.nodes[network.node(id: loc)!].key, itemKey: network.items[network.item(sku: sku)!].key,
                availableToSell: qty)
        }
        let state = network.state(stock: [key("DC2", "A", 5), key("DC1", "B", 5)], usedCapacity: [:])
        let cand = network.candidates(for: order)
        let r = OrderOptimizer().solve(order, cand, state: state, k: 1)
        let plan = network.plan(order, cand, r.best[0], state: state, rank: 1, exact: r.exact, reasons: false)
        #expect(Set(plan.shipments.map { $0.locationId }) == ["DC1", "DC2"] && abs(plan.totalCost - 17) < 1e-9)
        // A line no node can fill: B qty 11 → unsourced; A from DC1 (5 + 1 + 1 = 7).
        let q = try service.options(SourcingFixture.order("X3", [("A", 1), ("B", 11)]), k: 1)[0]
        #expect(abs(q.totalCost - 7) < 1e-9)
        #expect(q.unsourced.map(\.line) == [2])
        #expect(q.unsourced[0].reason.contains("no node has 11 units of B"))
    }

    @Test func promiseDrivesTheChoiceAndLateIsAllowedOnlyWhenNothingIsOnTime() throws {
        // A qty 1, no tight promise: DC1 5 + 1 + 1 = 7 (S1 would be 6 + 1 + 2 = 9).
        let free = try service.options(SourcingFixture.order("P1", [("A", 1)]), k: 1)[0]
        #expect(free.shipments[0].locationId == "DC1" && abs(free.totalCost - 7) < 1e-9)
        // Promise 2026-03-02 (as-of + 1): only S1 (1 day) is on time → S1 at 9.
        let tight = try service.options(SourcingFixture.order("P2", [("A", 1)], promise: "2026-03-02"), k: 1)[0]
        #expect(tight.shipments[0].locationId == "S1" && abs(tight.totalCost - 9) < 1e-9)
        #expect(tight.shipments[0].promiseMet && tight.shipments[0].expectedDelivery == Day("2026-03-02"))
        // Promise = as-of: nobody arrives today → ships late from the cheapest node (DC1, 7).
        let late = try service.options(SourcingFixture.order("P3", [("A", 1)], promise: "2026-03-01"), k: 1)[0]
        #expect(late.shipments[0].locationId == "DC1" && !late.shipments[0].promiseMet && late.lateLines == 1)
        #expect(late.shipments[0].expectedDelivery == Day("2026-03-03"))
    }

    @Test func unsourcedLineCarriesTheReason() throws {
        // C has no stock anywhere; A still ships from DC1 at 7.
        let p = try service.options(SourcingFixture.order("U1", [("A", 1), ("C", 1)]), k: 1)[0]
        #expect(p.unsourced.count == 1 && p.unsourced[0].sku == "C")
        #expect(p.unsourced[0].reason.contains("no node has 1 units of C"))
        #expect(abs(p.totalCost - 7) < 1e-9)
        // Zone without rates: nothing can be sourced.
        let z = try service.options(SourcingFixture.order("U2", [("A", 1)], zone: "Z2"), k: 1)[0]
        #expect(z.shipments.isEmpty && z.unsourced.count == 1)
        #expect(z.unsourced[0].reason.contains("no node can serve zone Z2"))
    }

    @Test func capacityIsRespected() throws {
        // S1 ships at most 3 units a day: A qty 2 with promise as-of + 1 (only S1 on time) fits
        // (6 + 2 + 2×2 = 12).
        let fits = try service.options(SourcingFixture.order("C1", [("A", 2)], promise: "2026-03-02"), k: 1)[0]
        #expect(fits.shipments[0].locationId == "S1" && abs(fits.totalCost - 12) < 1e-9)
        let network = service.network
        let order = try network.resolve(SourcingFixture.order("C2", [("A", 2)], promise: "2026-03-02"), rejectPastPromise: true)
        var state = network.state(
            stock: [
                .init(
                    locationKey: network.nodes[network.node(id: "S1")!].key, itemKey: network.items[network.item(sku: "A")!].key, availableToSell: 2),
                .init(
                    locationKey: network.nodes[network.node(id: "DC1")!].key, itemKey: network.items[network.item(sku: "A")!].key, availableToSell: 10
                ),
            ], usedCapacity: [:])
        state.capacityLeft[network.node(id: "S1")!] = 1  // 2 units already released at S1 today
        let cand = network.candidates(for: order)
        let best = OrderOptimizer().solve(order, cand, state: state).best[0]
        let plan = network.plan(order, cand, best, state: state, rank: 1, exact: true, reasons: true)
        // S1 has 1 unit of capacity left → late from DC1: 5 + 2 + 2 = 9.
        #expect(plan.shipments.map { $0.locationId } == ["DC1"] && abs(plan.totalCost - 9) < 1e-9 && plan.lateLines == 1)
        #expect(plan.nodes.first { $0.locationId == "S1" }?.reason.contains("no capacity") == true)
    }

    @Test func pickupAtTheStoreOrByTransfer() throws {
        // At S1 (has 2 A): pick 2.0 only, ready today.
        let here = try service.options(SourcingFixture.order("K1", [("A", 1)], service: .pickup, pickup: "S1"), k: 1)[0]
        #expect(here.shipments[0].locationId == "S1" && abs(here.totalCost - 2) < 1e-9)
        #expect(here.shipments[0].expectedDelivery == SourcingFixture.asOf && here.shipments[0].service == "pickup")
        // 3 units: S1 has 2 → by transfer. DC1: 20 + 0.3×3 + 1×3 = 23.9; DC2: 3 + 1×3 + 0.5×3 = 7.5 (2 days).
        let moved = try service.options(SourcingFixture.order("K2", [("A", 3)], service: .pickup, promise: "2026-03-05", pickup: "S1"), k: 2)
        #expect(moved[0].shipments[0].locationId == "DC2" && abs(moved[0].totalCost - 7.5) < 1e-9)
        #expect(moved[0].shipments[0].expectedDelivery == Day("2026-03-03"))
        #expect(moved[1].shipments[0].locationId == "DC1" && abs(moved[1].totalCost - 23.9) < 1e-9)
    }

    @Test(arguments: [
        (SourcingFixture.order("B1", [("NOPE", 1)]), "lines[0].sku"),
        (SourcingFixture.order("B2", [("A", 1)], zone: "Z9"), "ship_to_zone"),
        (SourcingFixture.order("B3", [("A", 0)]), "lines[0].qty"),
        (SourcingFixture.order("B4", [("A", -2)]), "lines[0].qty"),
        (SourcingFixture.order("B5", [("A", 1)], promise: "2026-02-27"), "promise_date"),
        (SourcingFixture.order("B6", [("A", 1)], service: .pickup), "pickup_location_id"),
        (SourcingFixture.order("B7", [("A", 1)], service: .pickup, pickup: "DC1"), "pickup_location_id"),
        (SourcingFixture.order("B8", []), "lines"),
    ])
    func badInputNamesTheField(order: SourcingOrder, field: String) throws {
        do {
            _ = try service.options(order)
            Issue.record("accepted a bad order")
        } catch let e as SourcingError {
            guard case .invalid(let f, _) = e else { Issue.record("wrong error \(e)"); return }
            #expect(f == field)
        }
        #expect(throws: SourcingError.self) { try service.reserve(order, idempotencyKey: "bad-\(order.orderId)") }
        #expect(try SourcingFixture.reserved(service.database).isEmpty)
    }
}
