import Foundation
import GRDB
import KeelCore
import KeelSourcing
import KeelStore
import KeelTestSupport
import Testing

/// The aging / markdown credit on the fixture network (see `SourcingFixture`).
///
/// Price list: A (unit_price 10) is marked down to 5 on 2026-03-15, 14 days after the as-of
/// date: loss 5 per unit unsold by then. B has no scheduled markdown: the default assumption
/// (30 % after 28 days) gives it a loss of 0.3 × 9 = 2.7. Forecast: DC1 sells 1 A a day (web),
/// S1 0.5 A a day (store); nobody else sells anything.
/// Credits per unit (Poisson tails computed independently with Python's math module):
///   DC1 A: s = 10, λ = 14 → 5 × P(D ≤ 9) = 0.546996848
///   DC2 A: s = 10, λ = 0  → 5
///   S1 A:  s = 2,  λ = 7  → 5 × P(D ≤ 1) = 5 × 8e⁻⁷ = 0.036475279
///   DC1 B, DC2 B: λ = 0   → 2.7 each
@Suite struct MarkdownCreditTests {
    static let prices = """
        sku,channel,location_id,price,start_date,end_date
        A,web,,10,2026-01-01,2026-03-14
        A,web,,5,2026-03-15,
        B,web,,9,2026-01-01,
        """

    static func database(withOrders: Bool = false) throws -> (TemporaryDirectory, KeelDatabase) {
        let (dir, db) = try SourcingFixture.database(withOrders: withOrders, extra: ["prices.csv": prices])
        let snapshot = try db.loadSourcingSnapshot(asOf: SourcingFixture.asOf)
        let key = { (id: String) in snapshot.locations.first { $0.id == id }!.key }
        let a = snapshot.items.first { $0.sku == "A" }!.key
        var rows: [ForecastRow] = []
        for d in 1...28 {
            let day = SourcingFixture.asOf.adding(d)
            rows.append(.init(channel: .web, locationKey: key("DC1"), itemKey: a, uniqueId: nil, day: day, yhat: 1, quantiles: [], model: "test"))
            rows.append(.init(channel: .store, locationKey: key("S1"), itemKey: a, uniqueId: nil, day: day, yhat: 0.5, quantiles: [], model: "test"))
        }
        _ = try db.writeForecastRun(
            startedAt: RunLog.now(), asOf: SourcingFixture.asOf, parameters: "{}", timings: "{}", notes: nil, levels: [], rows: rows)
        return (dir, db)
    }

    /// 1 A to Z1: plain DC1 7 (DC2 9, S1 9). With the credit: DC1 7 − 0.547 = 6.453, DC2 9 − 5 = 4,
    /// S1 9 − 0.036 = 8.964 → DC2 at 4. 1 B to Z1: DC1 8 − 2.7 = 5.3 beats DC2 9.5 − 2.7 = 6.8
    /// (the credit is the same at both nodes): the decision stays.
    @Test func creditFlipsTheNodeWithStockThatWillNotSell() throws {
        let (folder, db) = try Self.database()
        _ = folder
        let off = try SourcingService(database: db, asOf: SourcingFixture.asOf)
        let on = try SourcingService(database: db, asOf: SourcingFixture.asOf, signals: .init(markdown: .init()))
        let orderA = SourcingFixture.order("M1", [("A", 1)])
        let plain = try off.options(orderA, k: 1)[0]
        #expect(plain.shipments.map(\.locationId) == ["DC1"] && abs(plain.totalCost - 7) < 1e-9 && plain.signals.isZero)

        let plans = try on.options(orderA, k: 3)
        #expect(plans.map { $0.shipments[0].locationId } == ["DC2", "DC1", "S1"])
        #expect(abs(plans[0].totalCost - 4) < 1e-9 && abs(plans[0].signals.agingCredit - 5) < 1e-9)
        #expect(abs(plans[0].shippingCost + plans[0].handlingCost - 9) < 1e-9)
        #expect(abs(plans[1].signals.agingCredit - 0.546996848) < 1e-8 && abs(plans[1].totalCost - 6.453003152) < 1e-8)
        #expect(abs(plans[2].signals.agingCredit - 0.036475279) < 1e-8)
        let chosen = try #require(plans[0].nodes.first { $0.locationId == "DC2" })
        #expect(chosen.chosen && chosen.reason.contains("markdown credit 5.00"))

        let planB = try on.options(SourcingFixture.order("M2", [("B", 1)]), k: 2)
        #expect(planB[0].shipments.map(\.locationId) == ["DC1"] && abs(planB[0].totalCost - 5.3) < 1e-9)
        #expect(abs(planB[1].totalCost - 6.8) < 1e-9)
        // Switched off again: the plain optimum.
        #expect(try SourcingService(database: db, asOf: SourcingFixture.asOf, signals: .off).options(orderA, k: 1)[0].totalCost == 7)
    }

    /// The route run with the credit on. O1 (A + B to Z1): DC2 for both, 10.5 − 5 − 2.7 = 2.8
    /// (DC1 for both: 10 − 0.547 − 2.7 = 6.753). O3 (pickup of A at S1, promise 03-02): S1 at
    /// 2 − 0.036 (DC2's transfer would be late, DC1's costs 21.3 − 0.547). O2: C has no stock.
    /// Shipping + handling 10.5 + 2 = 12.5; credits 5 + 2.7 + 0.036475279 written per line in
    /// `aging_credit`.
    @Test func routeWritesTheAgingCredit() throws {
        let (folder, db) = try Self.database(withOrders: true)
        _ = folder
        let s = try RouteJob.run(db, asOf: SourcingFixture.asOf, signals: .init(markdown: .init()))
        #expect(abs(s.shippingCost + s.handlingCost - 12.5) < 1e-9)
        #expect(abs(s.signalCosts.agingCredit - 7.736475279) < 1e-8)
        #expect(abs(s.totalCost - (12.5 - 7.736475279)) < 1e-8)
        let rows = try db.pool.read { d in
            try Row.fetchAll(
                d,
                sql: """
                    SELECT p.order_id, p.line, l.location_id, p.aging_credit, p.reason FROM sourcing_plans p
                    LEFT JOIN locations l ON l.location_key = p.location_key WHERE p.run_id = ? ORDER BY p.order_id, p.line
                    """, arguments: [s.runId])
        }
        let byLine = Dictionary(uniqueKeysWithValues: rows.map { ("\($0[0] as String)/\($0[1] as Int)", $0) })
        #expect(byLine["O1/1"]?[2] == "DC2" && abs((byLine["O1/1"]?[3] as Double? ?? 0) - 5) < 1e-9)
        #expect(byLine["O1/2"]?[2] == "DC2" && abs((byLine["O1/2"]?[3] as Double? ?? 0) - 2.7) < 1e-9)
        #expect(byLine["O3/1"]?[2] == "S1" && abs((byLine["O3/1"]?[3] as Double? ?? 0) - 0.036475279) < 1e-8)
        #expect((byLine["O1/1"]?[4] as String?)?.contains("markdown credit 5.00") == true)
        // The same run with every signal off: the plain optimum (shipping + handling 12).
        let plain = try RouteJob.run(db, asOf: SourcingFixture.asOf)
        #expect(abs(plain.totalCost - 12) < 1e-9 && plain.signalCosts.isZero && plain.signals == "off")
    }
}

/// The expected return cost, learned from the fixture's history (all before the as-of date):
/// Apparel (A) web: 100 sold, 30 returned (20 restocked, 10 damaged); Apparel store: 100 sold,
/// none returned; Home (B) web: 50 sold, 5 returned and restocked.
/// Overall rate p̄ = 35 / 250 = 0.14; with 50 prior units P(return | Apparel, web) =
/// (30 + 7) / 150 = 0.246667, P(Apparel, app) = 7 / 50 = 0.14. Recovered share of Apparel =
/// (20 + 50 × 25/35) / 80 = 0.696429, so a return writes off 4 × 0.303571 = 1.214286 of A's cost.
/// Cost of a return with the defaults: 6 + 1.5 + 1.214286 = 8.714286 at every node →
/// 2.149524 per unit of A sold on the web, 1.22 on the app (hand-computed).
@Suite struct ReturnCostTests {
    static let extra = [
        "sales.csv": """
        transaction_id,line,timestamp,channel,location_id,sku,qty,unit_price
        T1,1,2026-02-01T10:00:00Z,web,DC1,A,100,10
        T2,1,2026-02-01T11:00:00Z,store,S1,A,100,10
        T3,1,2026-02-01T12:00:00Z,web,DC2,B,50,9
        """,
        "returns.csv": """
        return_id,timestamp,original_transaction_id,sku,qty,refund_amount,channel,location_id,reason_code,disposition
        R1,2026-02-10T10:00:00Z,T1,A,20,200,web,DC1,size,restock
        R2,2026-02-10T11:00:00Z,T1,A,10,100,web,DC1,damaged,damaged
        R3,2026-02-10T12:00:00Z,T3,B,5,45,web,DC2,size,restock
        """,
    ]

    /// Same cost at every node type: a constant per line — 1 A to Z1 stays at DC1 (7), its total
    /// becomes the expected cost to serve 7 + 2.149524; the app channel's rate is lower.
    @Test func constantPerLineDoesNotChangeTheRanking() throws {
        let (folder, db) = try SourcingFixture.database(extra: Self.extra)
        _ = folder
        let on = try SourcingService(database: db, asOf: SourcingFixture.asOf, signals: .init(returns: .init()))
        let plans = try on.options(SourcingFixture.order("R1", [("A", 1)], channel: .web), k: 3)
        #expect(plans.map { $0.shipments[0].locationId } == ["DC1", "DC2", "S1"] || plans.map { $0.shipments[0].locationId } == ["DC1", "S1", "DC2"])
        #expect(abs(plans[0].totalCost - 9.149523810) < 1e-8 && abs(plans[0].signals.expectedReturnCost - 2.149523810) < 1e-8)
        #expect(abs(plans[0].shippingCost + plans[0].handlingCost - 7) < 1e-9)
        for p in plans { #expect(abs(p.signals.expectedReturnCost - 2.149523810) < 1e-8) }
        let app = try on.options(SourcingFixture.order("R2", [("A", 1)], channel: .app), k: 1)[0]
        #expect(abs(app.signals.expectedReturnCost - 1.22) < 1e-9)
        // No channel given = web.
        #expect(abs(try on.options(SourcingFixture.order("R3", [("A", 1)]), k: 1)[0].signals.expectedReturnCost - 2.149523810) < 1e-8)
    }

    /// Stores handle a return at 15 instead of 1.5: a return of A at S1 costs 6 + 15 + 1.214286 =
    /// 22.214286, × 0.246667 = 5.479524. Pickup of 1 A at S1 (web): S1 2 + 5.479524 = 7.479524
    /// loses to the DC2 transfer 4.5 + 2.149524 = 6.649524 (plain: S1 at 2). 1 A to Z1 stays at
    /// DC1 (7 + 2.149524).
    @Test func nodeTypeCostFlipsAStoreDecision() throws {
        let (folder, db) = try SourcingFixture.database(extra: Self.extra)
        _ = folder
        let config = SignalConfiguration(returns: .init(handlingByNodeType: [.store: 15]))
        let on = try SourcingService(database: db, asOf: SourcingFixture.asOf, signals: config)
        let pickup = SourcingFixture.order("P1", [("A", 1)], service: .pickup, pickup: "S1")
        let plans = try on.options(pickup, k: 2)
        #expect(plans[0].shipments[0].locationId == "DC2" && abs(plans[0].totalCost - 6.649523810) < 1e-8)
        #expect(plans[1].shipments[0].locationId == "S1" && abs(plans[1].totalCost - 7.479523810) < 1e-8)
        let ship = try on.options(SourcingFixture.order("P2", [("A", 1)]), k: 1)[0]
        #expect(ship.shipments[0].locationId == "DC1" && abs(ship.totalCost - 9.149523810) < 1e-8)
        let off = try SourcingService(database: db, asOf: SourcingFixture.asOf)
        let plain = try off.options(pickup, k: 1)[0]
        #expect(plain.shipments[0].locationId == "S1" && abs(plain.totalCost - 2) < 1e-9 && plain.signals.isZero)
    }
}

/// The forecast-aware opportunity cost on a hand-made network: DC1 and DC2, zones Z1 and Z2,
/// standard rates (per shipment, 0 per kg, no pick cost) DC1→Z1 4, DC2→Z1 6, DC1→Z2 4,
/// DC2→Z2 20. A and B (1 kg, price 50, cost 20: margin 30): 1 unit each at DC1, 5 at DC2.
/// Expected demand: 1.5 A in Z2 (two demand lines of 0.75). The LP serves 1 unit from DC1 (4)
/// and 0.5 from DC2 (20): a unit of A at DC1 is worth 20 − 4 = 16 to future demand; nothing
/// else is scarce. With DC2→Z2 at 40 the lost margin 30 caps it: 30 − 4 = 26.
@Suite struct OpportunityCostTests {
    static func network(farRate: Double = 20) -> (SourcingNetwork, SourcingState) {
        let node = { (key: Int64, id: String) in
            SourcingNetwork.Node(
                key: key, id: id, type: .dc, latitude: 0, longitude: 0, capacity: .infinity, pickCostPerUnit: 0, canShipToCustomer: true,
                canPickup: false)
        }
        let items = [
            SourcingNetwork.Item(key: 1, sku: "A", weightKg: 1, unitPrice: 50, unitCost: 20),
            SourcingNetwork.Item(key: 2, sku: "B", weightKg: 1, unitPrice: 50, unitCost: 20),
        ]
        let zones = [SourcingNetwork.Zone(key: 1, id: "Z1", latitude: 0, longitude: 0), .init(key: 2, id: "Z2", latitude: 1, longitude: 1)]
        let rate = { (c: Double) in SourcingNetwork.Rate(costPerShipment: c, costPerKg: 0, transitDays: 2) }
        let network = SourcingNetwork(
            asOf: Day("2026-03-01")!, nodes: [node(1, "DC1"), node(2, "DC2")], items: items, zones: zones,
            rates: [(0, 0, .standard, rate(4)), (1, 0, .standard, rate(6)), (0, 1, .standard, rate(4)), (1, 1, .standard, rate(farRate))])
        var state = SourcingState(network: network)
        for i in 0..<2 {
            state.setAvailable(item: i, node: 0, 1)
            state.setAvailable(item: i, node: 1, 5)
        }
        return (network, state)
    }

    static func best(_ network: SourcingNetwork, _ state: SourcingState, _ signals: SourcingSignals, sku: String) throws -> SourcingPlan {
        let order = try network.resolve(
            SourcingOrder(orderId: "X", lines: [.init(line: 1, sku: sku, qty: 1)], shipToZone: "Z1", service: .standard), rejectPastPromise: true)
        let cand = network.candidates(for: order, adjustments: signals.adjustments(network: network, state: state, items: order.items))
        let r = OrderOptimizer().solve(order, cand, state: state, k: 2)
        return network.plan(order, cand, r.best[0], state: state, rank: 1, exact: r.exact, reasons: true)
    }

    @Test func dualsOfScarceStockMoveTodaysOrder() throws {
        let (network, state) = Self.network()
        let opp = try OpportunityCosts.compute(
            network: network, state: state, demand: [.init(zone: 1, item: 0, units: 1.5)], horizonDays: 7, forecastRunId: 42)
        #expect(opp.demandLines == 2 && opp.forecastRunId == 42)
        #expect(abs(opp.lpObjective - 14) < 1e-6)  // 1 × 4 + 0.5 × 20
        #expect(abs(opp.values[0 * 2 + 0] - 16) < 1e-6)
        #expect(opp.values[0 * 2 + 1] == 0 && opp.values[1 * 2 + 0] == 0 && opp.values[1 * 2 + 1] == 0)

        let plain = try Self.best(network, state, SourcingSignals(), sku: "A")
        #expect(plain.shipments[0].locationId == "DC1" && plain.totalCost == 4)
        let on = try Self.best(network, state, SourcingSignals(opportunity: opp), sku: "A")
        #expect(on.shipments[0].locationId == "DC2" && abs(on.totalCost - 6) < 1e-9 && on.signals.opportunityCost == 0)
        let dc1 = try #require(on.nodes.first { $0.locationId == "DC1" })
        #expect(!dc1.chosen && dc1.reason.contains("opportunity cost 16.00"))
        // B is not scarce anywhere: its order stays at DC1.
        let b = try Self.best(network, state, SourcingSignals(opportunity: opp), sku: "B")
        #expect(b.shipments[0].locationId == "DC1" && b.totalCost == 4)
    }

    @Test func lostMarginCapsTheOpportunityCost() throws {
        let (network, state) = Self.network(farRate: 40)
        let opp = try OpportunityCosts.compute(network: network, state: state, demand: [.init(zone: 1, item: 0, units: 1.5)], horizonDays: 7)
        #expect(abs(opp.values[0] - 26) < 1e-6)
        #expect(abs(opp.lpObjective - (4 + 0.5 * 30)) < 1e-6)
    }

    /// Online demand of A 0.5 a day over 7 days = 3.5 units, split by the orders' zones 30 : 10.
    @Test func expectedDemandFollowsTheOrdersZones() {
        let (network, _) = Self.network()
        let rates = SourcingSignalInputs.ForecastRates(
            runId: 7, days: 7, byLocation: [], onlineByItem: [.init(locationKey: 0, itemKey: 1, perDay: 0.5)])
        let d = SourcingSignals.expectedOnlineDemand(network: network, rates: rates, zoneUnits: [(1, 30), (2, 10)], days: 7)
        #expect(d.count == 2)
        #expect(d[0].zone == 0 && d[0].item == 0 && abs(d[0].units - 2.625) < 1e-12)
        #expect(d[1].zone == 1 && abs(d[1].units - 0.875) < 1e-12)
        #expect(SourcingSignals.expectedOnlineDemand(network: network, rates: rates, zoneUnits: [], days: 7).isEmpty)
    }
}
