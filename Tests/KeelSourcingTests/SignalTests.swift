import Foundation
import KeelCore
import KeelSourcing
import KeelStore
import KeelTestSupport
import Testing

@Suite struct SignalTests {
    /// Store protection. A forecast run gives S1 a walk-in need for A of 3 units over 7 days
    /// (3/7 a day). S1 holds 2 A; A's margin is 10 − 4 = 6. Taking a unit costs
    /// 6 × P(Poisson(3) ≥ 2) = 6 × (1 − 4e⁻³) = 4.80512 (to 1e-5).
    /// Pickup of 1 A at S1: off → S1 at 2 (pick only); on → S1 at 2 + 4.80512 = 6.80512 loses to
    /// the transfer from DC2 at 3 + 1 + 0.5 = 4.5 (see OrderOptimizerTests).
    @Test func storeProtectionMovesThePickupToATransfer() throws {
        let (folder, db) = try SourcingFixture.database()
        _ = folder
        let off = try SourcingService(database: db, asOf: SourcingFixture.asOf, storeProtectionDays: 7)
        let order = SourcingFixture.order("K1", [("A", 1)], service: .pickup, pickup: "S1")
        // No forecast run yet: the signal has nothing to protect, the plan is the plain one.
        #expect(off.signals.walkInNeed.allSatisfy { $0 == 0 })
        let plain = try off.options(order, k: 1)[0]
        #expect(plain.shipments[0].locationId == "S1" && plain.adjustment == 0 && abs(plain.totalCost - 2) < 1e-9)

        let network = off.network
        let s1 = network.nodes[network.node(id: "S1")!].key, a = network.items[network.item(sku: "A")!].key
        let rows = (1...7).map {
            ForecastRow(
                channel: .store, locationKey: s1, itemKey: a, uniqueId: nil, day: SourcingFixture.asOf.adding($0),
                yhat: 3.0 / 7, quantiles: [], model: "test")
        }
        _ = try db.writeForecastRun(
            startedAt: RunLog.now(), asOf: SourcingFixture.asOf, parameters: "{}", timings: "{}", notes: nil, levels: [], rows: rows)
        let on = try SourcingService(database: db, asOf: SourcingFixture.asOf, storeProtectionDays: 7)
        let plans = try on.options(order, k: 2)
        #expect(plans[0].shipments[0].locationId == "DC2" && abs(plans[0].totalCost - 4.5) < 1e-9 && plans[0].adjustment == 0)
        #expect(plans[1].shipments[0].locationId == "S1")
        #expect(abs(plans[1].adjustment - 6 * (1 - 4 * exp(-3.0))) < 1e-9)
        #expect(abs(plans[1].adjustment - 4.80512) < 1e-5)
        #expect(abs(plans[1].totalCost - (2 + plans[1].adjustment)) < 1e-9)
        // Shipping + handling is still reported apart from the signal.
        #expect(abs(plans[1].shippingCost + plans[1].handlingCost - 2) < 1e-9)
    }
}

@Suite struct BatchSignalTests {
    /// The route run with store protection on. O3 (pickup of 1 A at S1, promise 2026-03-02) keeps
    /// S1 even though its units now carry the protection charge 6 × (1 − 4e⁻³) = 4.80512: the
    /// cheaper DC2 transfer (4.5) would arrive 03-03, late, and lateness outranks cost; the DC1
    /// transfer (on time) costs 23.9 > 2 + 4.80512. So shipping + handling stays 12 and the
    /// total becomes 12 + 4.80512.
    @Test func routeWithStoreProtection() throws {
        let (folder, db) = try SourcingFixture.database(withOrders: true)
        _ = folder
        let off = try RouteJob.run(db, asOf: SourcingFixture.asOf, storeProtectionDays: 7)
        #expect(abs(off.totalCost - 12) < 1e-9)  // no forecast run: nothing protected
        let s1 = try #require(try db.loadSourcingSnapshot(asOf: SourcingFixture.asOf).locations.first { $0.id == "S1" }).key
        let a = try #require(try db.loadSourcingSnapshot(asOf: SourcingFixture.asOf).items.first { $0.sku == "A" }).key
        let rows = (1...7).map {
            ForecastRow(
                channel: .store, locationKey: s1, itemKey: a, uniqueId: nil, day: SourcingFixture.asOf.adding($0), yhat: 3.0 / 7,
                quantiles: [], model: "test")
        }
        _ = try db.writeForecastRun(
            startedAt: RunLog.now(), asOf: SourcingFixture.asOf, parameters: "{}", timings: "{}", notes: nil, levels: [], rows: rows)
        let on = try RouteJob.run(db, asOf: SourcingFixture.asOf, storeProtectionDays: 7)
        #expect(abs(on.shippingCost + on.handlingCost - 12) < 1e-9)
        #expect(abs(on.totalCost - (12 + 6 * (1 - 4 * exp(-3.0)))) < 1e-9)
        let plain = try RouteJob.run(db, asOf: SourcingFixture.asOf)
        #expect(abs(plain.totalCost - 12) < 1e-9)
    }
}
