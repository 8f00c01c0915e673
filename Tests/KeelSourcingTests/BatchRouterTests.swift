import Foundation
import GRDB
import KeelCore
import KeelSourcing
import KeelStore
import KeelTestSupport
import Testing

@Suite struct BatchRouterTests {
    /// Two orders competing for one unit at each of two DCs (weights and pick costs 0):
    /// Z1 rates DC1 5, DC2 6; Z2 rates DC1 5, DC2 20. Order by order (O1 first) takes DC1 for O1
    /// (5) and leaves DC2 for O2 (20) = 25; jointly O1 ← DC2 (6), O2 ← DC1 (5) = 11, which is
    /// also the LP bound (the LP is a transportation problem, integral here): gap 0.
    static func competingNetwork() -> (SourcingNetwork, SourcingState, [ResolvedOrder]) {
        let day = Day("2026-03-01")!
        let nodes = [
            SourcingNetwork.Node(
                key: 1, id: "DC1", type: .dc, latitude: 0, longitude: 0, capacity: .infinity, pickCostPerUnit: 0,
                canShipToCustomer: true, canPickup: false),
            SourcingNetwork.Node(
                key: 2, id: "DC2", type: .dc, latitude: 0, longitude: 1, capacity: .infinity, pickCostPerUnit: 0,
                canShipToCustomer: true, canPickup: false),
        ]
        let zones = [
            SourcingNetwork.Zone(key: 1, id: "Z1", latitude: 0, longitude: 0.1), SourcingNetwork.Zone(key: 2, id: "Z2", latitude: 0, longitude: 0.2),
        ]
        let rate = { (c: Double) in SourcingNetwork.Rate(costPerShipment: c, costPerKg: 0, transitDays: 1) }
        let network = SourcingNetwork(
            asOf: day, nodes: nodes, items: [.init(key: 1, sku: "A", weightKg: 0)], zones: zones,
            rates: [
                (0, 0, .standard, rate(5)), (1, 0, .standard, rate(6)), (0, 1, .standard, rate(5)), (1, 1, .standard, rate(20)),
            ])
        var state = SourcingState(network: network)
        state.setAvailable(item: 0, node: 0, 1)
        state.setAvailable(item: 0, node: 1, 1)
        let orders = [
            try! network.resolve(
                SourcingOrder(orderId: "O1", lines: [.init(line: 1, sku: "A", qty: 1)], shipToZone: "Z1", service: .standard),
                rejectPastPromise: false),
            try! network.resolve(
                SourcingOrder(orderId: "O2", lines: [.init(line: 1, sku: "A", qty: 1)], shipToZone: "Z2", service: .standard),
                rejectPastPromise: false),
        ]
        return (network, state, orders)
    }

    @Test(arguments: [true, false])
    func jointRoutingBeatsOrderByOrder(useCbc: Bool) throws {
        let (network, state, orders) = Self.competingNetwork()
        var options = BatchRouter.Options()
        options.useCbc = useCbc
        options.improvementPasses = 0
        let r = try BatchRouter(options: options).route(orders, network: network, state: state)
        #expect(abs(r.cost - 11) < 1e-6)
        #expect(abs(r.lowerBound - 11) < 1e-6 && r.gap < 1e-9)
        #expect(r.method == (useCbc ? "cbc-optimal" : "lp-rounding"))
        #expect(r.choices.map { network.nodes[r.candidates[0].nodes[$0[0]]].id } == ["DC2", "DC1"])
        // Without the LP, order by order then single-order improvement cannot swap both: 25 (a
        // local optimum), and the independent bound is 5 + 5 = 10 (no item is short overall).
        var plain = BatchRouter.Options()
        plain.useLP = false
        plain.ejection = false
        let seq = try BatchRouter(options: plain).route(orders, network: network, state: state)
        #expect(abs(seq.cost - 25) < 1e-6 && abs(seq.lowerBound - 10) < 1e-6)
        // The two-order move finds the swap: O2 takes DC1 (5), O1 re-sources to DC2 (6) = 11.
        plain.ejection = true
        let moved = try BatchRouter(options: plain).route(orders, network: network, state: state)
        #expect(abs(moved.cost - 11) < 1e-6)
        // Nearest-node greedy: DC1 is nearest to both zones → O1 DC1 (5), O2 DC2 (20).
        var s = state
        let greedy = GreedyRouter.route(orders, candidates: r.candidates, network: network, state: &s)
        let greedyCost = orders.indices.map { OrderOptimizer.evaluate(orders[$0], r.candidates[$0], greedy[$0]).cost }.reduce(0, +)
        #expect(abs(greedyCost - 25) < 1e-6)
    }

    @Test func scarceStockRaisesTheBound() throws {
        // Only DC1 holds A (1 unit); both orders want it. Alone each ships from DC1 for 5 → 10.
        // One line must go unsourced; putting it back costs at most C_max = 20 (O2 from DC2), so
        // the bound is 10 + (100,000 − 20) = 99,990. Optimum: one order from DC1, one unsourced =
        // 100,005; the LP relaxation (a₁ + a₂ ≤ 1) proves exactly that.
        let (network, full, orders) = Self.competingNetwork()
        var state = full
        state.setAvailable(item: 0, node: 1, 0)
        var noLP = BatchRouter.Options()
        noLP.useLP = false
        let r = try BatchRouter(options: noLP).route(orders, network: network, state: state)
        #expect(abs(r.objective - 100_005) < 1e-6 && r.unsourcedLines == 1 && abs(r.cost - 5) < 1e-9)
        #expect(abs(r.lowerBound - 99_990) < 1e-6)
        let withLP = try BatchRouter().route(orders, network: network, state: state)
        #expect(abs(withLP.lowerBound - 100_005) < 1e-6 && withLP.gap < 1e-9)
    }

    @Test func routeRunIsWrittenAndExported() throws {
        let (folder, db) = try SourcingFixture.database(withOrders: true)
        let s = try RouteJob.run(db, asOf: SourcingFixture.asOf)
        // O1: A+B from DC1 = 10; O2: C unsourced; O3: pickup at S1 = 2. Total 12; the LP bound is
        // the same plans (no competition) plus one unsourced penalty.
        #expect(s.orders == 3 && s.lines == 4 && s.rows == 4)
        #expect(abs(s.totalCost - 12) < 1e-9 && s.unsourcedLines == 1 && s.lateLines == 0 && s.shipments == 2)
        #expect(abs(s.objective - (12 + OrderOptimizer.unsourcedPenalty)) < 1e-6 && s.gap < 1e-9)
        let run = try db.pool.read { try RunLog.latest($0, limit: 1, kind: "sourcing") }.first
        #expect(run?.status == "succeeded" && run?.rowsWritten == 4 && run?.asOf == SourcingFixture.asOf)
        let out = folder.file("sourcing.csv")
        let export = try db.export(.sourcing, to: out)
        #expect(export.rows == 4)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(
            lines[0]
                == "run_id,order_id,line,location_id,qty,shipment_id,service,ship_cost,handling_cost,aging_credit,expected_delivery,promise_met,reason"
        )
        // O1 line 1 (A, 1 kg): fixed 5 spread by units (2.5) + 1 kg = 3.5 shipping, 1 handling.
        #expect(lines[1].hasPrefix("\(s.runId),O1,1,DC1,1,O1-DC1-standard,standard,3.5,1,0,2026-03-03,true,"))
        #expect(lines[2].hasPrefix("\(s.runId),O1,2,DC1,1,O1-DC1-standard,standard,4.5,1,0,2026-03-03,true,"))
        #expect(lines[3].hasPrefix("\(s.runId),O2,1,,1,,,,,,,,not sourced: no node has 1 units of C"))
        #expect(lines[4].hasPrefix("\(s.runId),O3,1,S1,1,O3-S1-pickup,pickup,0,2,0,2026-03-01,true,"))
    }

    @Test func aFailedRouteRunIsRecordedAndWritesNothing() throws {
        // No transactions and no --as-of: the run cannot be dated.
        let dir = TemporaryDirectory("keel-sourcing")
        for (name, text) in SourcingFixture.files { dir.write(name, text + "\n") }
        let db = try KeelDatabase(path: dir.file("keel.sqlite"))
        try db.importFiles([dir.path])
        #expect(throws: StoreError.self) { try RouteJob.run(db) }
        let run = try db.pool.read { try RunLog.latest($0, limit: 1, kind: "sourcing") }.first
        #expect(run?.status == "failed")
        #expect(try db.count("sourcing_plans") == 0)
    }
}

/// A route run that asks for forecast-driven signals on a database with no forecast run records
/// them as requested but not loaded (notes and summary) instead of claiming them.
@Suite struct RouteSignalsNotLoadedTests {
    @Test func signalsWithoutAForecastAreRecordedAsNotLoaded() throws {
        let (folder, db) = try SourcingFixture.database(withOrders: true)
        _ = folder
        let asked = SignalConfiguration(storeProtection: .init(days: 7), markdown: .init(), opportunity: .init())
        let s = try RouteJob.run(db, asOf: SourcingFixture.asOf, signals: asked)
        #expect(s.signals.contains("requested but not loaded"), "\(s.signals)")
        let run = try #require(try db.pool.read { try RunLog.latest($0, limit: 1, kind: "sourcing") }.first)
        #expect(run.status == "succeeded")
        let notes = try #require(run.notes)
        let parsed = try JSONSerialization.jsonObject(with: Data(notes.utf8)) as? [String: Any]
        let missing = try #require(parsed?["signals_not_loaded"] as? [String])
        #expect(missing.count == 3, "\(missing)")
        #expect(missing.contains { $0.hasPrefix("store_protection:") })
        #expect(missing.contains { $0.hasPrefix("markdown_credit:") })
        #expect(missing.contains { $0.hasPrefix("opportunity_cost:") })
        // With every signal off nothing is listed.
        let off = try RouteJob.run(db, asOf: SourcingFixture.asOf)
        #expect(!off.signals.contains("not loaded"))
    }

    /// A forecast run with walk-in (store) demand only: the opportunity cost's LP has no online
    /// demand to serve, every dual is 0 — recorded as not loaded, not claimed.
    @Test func anOpportunityCostWithoutOnlineDemandIsRecordedAsNotLoaded() throws {
        let (folder, db) = try SourcingFixture.database(withOrders: true)
        _ = folder
        let snapshot = try db.loadSourcingSnapshot(asOf: SourcingFixture.asOf)
        let s1 = snapshot.locations.first { $0.id == "S1" }!.key, a = snapshot.items.first { $0.sku == "A" }!.key
        let rows = (1...28).map {
            ForecastRow(
                channel: .store, locationKey: s1, itemKey: a, uniqueId: nil, day: SourcingFixture.asOf.adding($0), yhat: 2, quantiles: [],
                model: "test")
        }
        let run = try db.writeForecastRun(
            startedAt: RunLog.now(), asOf: SourcingFixture.asOf, parameters: "{}", timings: "{}", notes: nil, levels: [], rows: rows)
        let s = try RouteJob.run(db, asOf: SourcingFixture.asOf, signals: SignalConfiguration(opportunity: .init()))
        #expect(s.signals.contains("opportunity_cost: no expected online demand in forecast run \(run)"), "\(s.signals)")
    }
}
