import Foundation
import KeelCore
import KeelStore

/// `keel route`: every open order sourced jointly (`BatchRouter`), written as one sourcing run
/// (`runs` kind `sourcing`, rows in `sourcing_plans`, contract columns). A failed run is recorded
/// as failed and writes nothing else.
public enum RouteJob {
    public struct Summary: Sendable, Codable {
        public var runId: Int64
        public var asOf: Day
        public var orders: Int
        public var lines: Int
        public var rows: Int
        public var totalCost: Double
        public var shippingCost: Double
        public var handlingCost: Double
        public var lowerBound: Double
        public var objective: Double
        public var gap: Double
        public var lateLines: Int
        public var unsourcedLines: Int
        public var shipments: Int
        public var method: String
        public var seconds: [String: Double]
        /// The signals that were on (`off`) and their amounts in the plan (all 0 when off);
        /// `totalCost` = shipping + handling + `signalCosts.net`.
        public var signals: String
        public var signalCosts: SignalCosts

        enum CodingKeys: String, CodingKey {
            case runId = "run_id", asOf = "as_of", orders, lines, rows, totalCost = "total_cost", shippingCost = "shipping_cost"
            case handlingCost = "handling_cost", lowerBound = "lower_bound", objective, gap, lateLines = "late_lines"
            case unsourcedLines = "unsourced_lines", shipments, method, seconds, signals, signalCosts = "signal_costs"
        }
    }

    /// `signals` switches sourcing signals on (default: every signal off);
    /// `storeProtectionDays` also switches store protection on (walk-in need from the latest
    /// forecast run over that many days). The signals are read once per run (the opportunity
    /// cost's LP solved once, against the run's stock); the forecast run they came from is in
    /// the run's notes (`signals_forecast_run`; signals requested but not loaded in `signals_not_loaded`).
    public static func run(
        _ db: KeelDatabase, asOf: Day? = nil, options: BatchRouter.Options = .init(),
        storeProtectionDays: Int? = nil, signals configuration: SignalConfiguration = .off
    ) throws -> Summary {
        let started = RunLog.now()
        var configuration = configuration
        if let days = storeProtectionDays { configuration.storeProtection = .init(days: days) }
        let parameters = RunLog.json([
            "as_of": asOf?.description ?? "latest", "signals": configuration.summary,
            "lp_max_columns": "\(options.lpMaxColumns)", "cbc_max_binaries": "\(options.cbcMaxBinaries)",
        ])
        do {
            var clock = ContinuousClock.now
            let snapshot = try db.loadSourcingSnapshot(asOf: asOf)
            let network = SourcingNetwork(snapshot: snapshot)
            let state = network.state(stock: snapshot.stock, usedCapacity: snapshot.usedCapacity)
            let orders = network.openOrders(snapshot)
            let load = (ContinuousClock.now - clock).seconds
            var signals = UnitAdjustments()
            var signalSeconds = 0.0, forecastRun: Int64?, notLoaded: [String] = []
            if !configuration.isOff {
                let t = ContinuousClock.now
                let loaded = try SourcingSignals.load(db, network: network, state: state, configuration: configuration)
                signals = loaded.adjustments(network: network, state: state)
                forecastRun = loaded.opportunity?.forecastRunId ?? loaded.markdown?.forecastRunId
                notLoaded = Self.requestedButNotLoaded(configuration, loaded)
                signalSeconds = (ContinuousClock.now - t).seconds
            }
            let result = try BatchRouter(options: options).route(orders, network: network, state: state, signals: signals)
            clock = ContinuousClock.now
            var rows: [SourcingPlanRow] = []
            var shipping = 0.0, handling = 0.0, shipments = 0
            var signalCosts = SignalCosts()
            for (o, order) in orders.enumerated() {
                let plan = network.plan(
                    order, result.candidates[o], .init(choice: result.choices[o], objective: 0), state: state,
                    rank: 1, exact: true, reasons: false)
                shipping += plan.shippingCost; handling += plan.handlingCost; shipments += plan.shipments.count
                signalCosts.add(plan.signals)
                rows.append(contentsOf: planRows(plan, order: order, network: network))
            }
            var timings = result.seconds
            timings["load"] = load
            if !configuration.isOff { timings["signals"] = signalSeconds }
            struct Notes: Encodable {
                var inexact_orders: Int?
                var signals_forecast_run: Int64?
                var signals_not_loaded: [String]?
            }
            let runNotes = Notes(inexact_orders: result.inexactOrders > 0 ? result.inexactOrders : nil, signals_forecast_run: forecastRun,
                                 signals_not_loaded: notLoaded.isEmpty ? nil : notLoaded)
            let notes = runNotes.inexact_orders == nil && forecastRun == nil && notLoaded.isEmpty ? nil : RunLog.json(runNotes)
            let runId = try db.writeSourcingRun(
                startedAt: started, asOf: network.asOf, parameters: parameters,
                timings: RunLog.json(
                    timings.merging([
                        "lower_bound": result.lowerBound, "objective": result.objective,
                        "gap": result.gap, "total_cost": result.cost,
                    ]) { a, _ in a }),
                notes: notes, rows: rows)
            timings["write"] = (ContinuousClock.now - clock).seconds
            return Summary(
                runId: runId, asOf: network.asOf, orders: orders.count, lines: orders.reduce(0) { $0 + $1.items.count },
                rows: rows.count, totalCost: result.cost, shippingCost: shipping, handlingCost: handling,
                lowerBound: result.lowerBound, objective: result.objective, gap: result.gap, lateLines: result.lateLines,
                unsourcedLines: result.unsourcedLines, shipments: shipments, method: result.method, seconds: timings,
                signals: configuration.summary + (notLoaded.isEmpty ? "" : " (requested but not loaded: " + notLoaded.joined(separator: "; ") + ")"),
                signalCosts: signalCosts)
        } catch {
            try? db.recordFailedRun(kind: "sourcing", startedAt: started, asOf: asOf, parameters: parameters, error: String(describing: error))
            throw error
        }
    }

    /// The signals the configuration asks for that loaded nothing to price with, each with why
    /// (a run records them instead of claiming a signal it did not apply).
    static func requestedButNotLoaded(_ c: SignalConfiguration, _ loaded: SourcingSignals) -> [String] {
        var out: [String] = []
        if c.storeProtection != nil, loaded.walkInNeed.allSatisfy({ $0 == 0 }) { out.append("store_protection: no store walk-in need in the latest forecast run") }
        if c.markdown != nil, loaded.markdown == nil { out.append("markdown_credit: no forecast run to price sell-through") }
        if c.returns != nil, loaded.returns == nil { out.append("return_cost: no return-rate model could be built") }
        if c.opportunity != nil, loaded.opportunity == nil { out.append("opportunity_cost: no forecast run or no expected online demand") }
        if c.opportunity != nil, let o = loaded.opportunity, o.demandLines == 0 {
            out.append("opportunity_cost: no expected online demand in forecast run \(o.forecastRunId) (every dual is 0)")
        }
        return out
    }

    /// The contract rows of a plan: one per (line, node). A row's ship_cost is its own per-kg (or
    /// transfer per-unit) cost plus its share of the shipment's fixed cost by units, so the rows'
    /// ship_cost sums to the plan's shipping cost; handling_cost is the line's pick cost;
    /// aging_credit is the line's markdown credit (0 when that signal is off); the reason names
    /// the signals that priced the line.
    static func planRows(_ plan: SourcingPlan, order: ResolvedOrder, network: SourcingNetwork) -> [SourcingPlanRow] {
        var rows: [SourcingPlanRow] = []
        var byLine: [Int: SourcingPlanRow] = [:]
        for s in plan.shipments {
            let units = s.lines.reduce(0) { $0 + $1.qty }
            let key = network.node(id: s.locationId).map { network.nodes[$0].key }
            for l in s.lines {
                let share = l.qty / units
                byLine[l.line] = SourcingPlanRow(
                    orderId: plan.orderId, line: l.line, locationKey: key, qty: l.qty, shipmentId: s.shipmentId,
                    service: s.service, shipCost: s.fixedCost * share + l.shipCost, handlingCost: l.handlingCost,
                    agingCredit: l.signals.agingCredit, expectedDelivery: s.expectedDelivery, promiseMet: s.promiseMet,
                    reason: (s.promiseMet ? "lowest cost on time" : "late: no node with the units left can deliver by the promise date")
                        + (l.signals.isZero ? "" : " (signals: " + l.signals.text + ")"))
            }
        }
        for u in plan.unsourced {
            byLine[u.line] = SourcingPlanRow(
                orderId: plan.orderId, line: u.line, locationKey: nil, qty: u.qty, shipmentId: nil, service: nil,
                shipCost: nil, handlingCost: nil, agingCredit: nil, expectedDelivery: nil, promiseMet: nil,
                reason: "not sourced: " + u.reason)
        }
        for line in order.lineNumbers { if let r = byLine[line] { rows.append(r) } }
        return rows
    }
}
