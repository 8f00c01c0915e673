import Foundation
import KeelCore
import KeelSourcing

// `make bench-route` (release build). Two figures, every signal off:
// (a) 300 orders × 30 nodes: the batch heuristic (LP relaxation + rounding + repair +
//     improvement; Cbc disabled so it is not simply the reference) against the optimum Cbc proves
//     on the full MIP. Target: within 1 %.
// (b) 20,000 orders × 50 nodes: the batch router against a myopic nearest-node-with-stock greedy.
//     Targets: ≥ 3 % cheaper, equal or better promise adherence, ≤ 30 s.

func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

let args = CommandLine.arguments.dropFirst()
let seeds: [UInt64] = [1, 2, 3]
let parts = args.isEmpty ? ["a", "b"] : Array(args)  // "s": the signals on (b), seed 1

if parts.contains("a") {
    print("(a) 300 orders × 30 nodes, 40 skus, sparse stock — batch heuristic vs the Cbc optimum of the full MIP")
    print("seed  heuristic_cost  cbc_cost   cost_gap  objective_gap  cbc_proven  heuristic_s  cbc_s  binaries  late(h/c)  unsourced(h/c)")
    for seed in seeds {
        let inst = RouteInstance.generate(
            .init(
                nodes: 30, zones: 40, items: 40, orders: 300, stockProbability: (0.8, 0.4),
                meanUnits: (dc: 10, store: 3), storeCapacity: 10...30), seed: seed)
        var options = BatchRouter.Options()
        options.useCbc = false
        var t = ContinuousClock.now
        let h = try BatchRouter(options: options).route(inst.orders, network: inst.network, state: inst.state)
        let hs = seconds(since: t)
        t = ContinuousClock.now
        let m = try BatchRouter.solveMIP(inst.orders, network: inst.network, state: inst.state, timeLimit: 600)
        let ms = seconds(since: t)
        print(
            String(
                format: "%4llu  %14.2f  %9.2f  %7.3f%%  %12.4f%%  %-10@  %11.2f  %5.1f  %8d  %4d/%-4d  %5d/%d",
                seed, h.cost, m.cost, (h.cost - m.cost) / m.cost * 100, (h.objective - m.objective) / m.objective * 100,
                m.proven ? "yes" : "no", hs, ms, m.binaries, h.lateLines, m.late, h.unsourcedLines, m.unsourced))
    }
}

if parts.contains("b") {
    print("\n(b) 20,000 orders × 50 nodes, 500 skus — batch router vs nearest-node-with-stock greedy")
    print("seed  batch_cost    greedy_cost   cheaper   on_time(b/g)        unsourced(b/g)  shipments(b/g)   batch_s  method       bound_gap")
    for seed in seeds {
        let inst = RouteInstance.generate(
            .init(
                nodes: 50, zones: 200, items: 500, orders: 20_000, stockProbability: (0.8, 0.4),
                meanUnits: (dc: 40, store: 6), storeCapacity: 150...400), seed: seed)
        let t = ContinuousClock.now
        var options = BatchRouter.Options()
        if let limit = ProcessInfo.processInfo.environment["ROUTE_BENCH_LP_MAX_COLUMNS"].flatMap(Int.init) { options.lpMaxColumns = limit }
        let b = try BatchRouter(options: options).route(inst.orders, network: inst.network, state: inst.state)
        let bs = seconds(since: t)
        var gs = inst.state
        let greedy = GreedyRouter.route(inst.orders, candidates: b.candidates, network: inst.network, state: &gs)
        var gCost = 0.0, gLate = 0, gUnsourced = 0, gShipments = 0, bShipments = 0, lines = 0
        for o in inst.orders.indices {
            let e = OrderOptimizer.evaluate(inst.orders[o], b.candidates[o], greedy[o])
            gCost += e.cost; gLate += e.late; gUnsourced += e.unsourced
            gShipments += Set(greedy[o].filter { $0 >= 0 }).count
            bShipments += Set(b.choices[o].filter { $0 >= 0 }).count
            lines += inst.orders[o].items.count
        }
        let bOnTime = Double(lines - b.unsourcedLines - b.lateLines) / Double(lines) * 100
        let gOnTime = Double(lines - gUnsourced - gLate) / Double(lines) * 100
        print(
            String(
                format: "%4llu  %11.2f  %11.2f  %6.2f%%  %6.2f%%/%6.2f%%     %5d/%-5d     %6d/%-6d  %7.2f  %-11@  %.3f%%",
                seed, b.cost, gCost, (gCost - b.cost) / gCost * 100, bOnTime, gOnTime, b.unsourcedLines, gUnsourced,
                bShipments, gShipments, bs, b.method, b.gap * 100))
        print("      timings: " + b.seconds.sorted { $0.key < $1.key }.map { String(format: "%@ %.2fs", $0.key, $0.value) }.joined(separator: ", "))
    }
}

if parts.contains("s") {
    // (s) How each signal changes the batch on instance (b), seed 1. The instance has no prices,
    // forecasts or returns, so the signal inputs here are synthetic and deterministic: prices
    // 20–79 by item number (cost half the price); each node sells an item at (that item's order
    // units in the batch ÷ the nodes stocking it) a day; markdown 30 % after 28 days; return
    // probability 12 %, return shipping 6, handling 1.5 at DCs and 4 at stores, 30 % of the
    // unit cost written off; opportunity cost from tomorrow's demand = today's (zone, item) mix
    // (at most 5,000 demand lines, so lines hold several units).
    // Cost = shipping + handling only (the signals' amounts are printed apart).
    print("\n(s) signals on instance (b), seed 1 — synthetic signal inputs (see the comment in main.swift)")
    print("signals            ship+handling  signal_net  on_time    unsourced  late  shipments  route_s  signal_s")
    let inst = RouteInstance.generate(
        .init(
            nodes: 50, zones: 200, items: 500, orders: 20_000, stockProbability: (0.8, 0.4),
            meanUnits: (dc: 40, store: 6), storeCapacity: 150...400), seed: 1)
    let base = inst.network
    let items = base.items.enumerated().map { i, item in
        var it = item
        it.unitPrice = Double(20 + (i * 37) % 60)
        it.unitCost = it.unitPrice / 2
        return it
    }
    var rates: [(node: Int, zone: Int, service: ShippingService, rate: SourcingNetwork.Rate)] = []
    for n in 0..<base.nodeCount {
        for z in base.zones.indices {
            for s in [ShippingService.standard, .express] { if let r = base.rate(node: n, zone: z, service: s) { rates.append((n, z, s, r)) } }
        }
    }
    let network = SourcingNetwork(asOf: base.asOf, nodes: base.nodes, items: items, zones: base.zones, rates: rates)
    let N = network.nodeCount
    var units = [Double](repeating: 0, count: items.count)
    var zoneItem: [Int: Double] = [:]
    for o in inst.orders {
        for (l, i) in o.items.enumerated() {
            units[i] += o.qty[l]
            zoneItem[o.zone * items.count + i, default: 0] += o.qty[l]
        }
    }
    var loss = [Double](repeating: 0, count: items.count * N), lambda = loss
    for i in items.indices {
        let stocking = (0..<N).filter { inst.state.available(item: i, node: $0) > 0 }.count
        for n in 0..<N where inst.state.available(item: i, node: n) > 0 {
            loss[i * N + n] = 0.3 * items[i].unitPrice
            lambda[i * N + n] = units[i] / Double(max(stocking, 1)) * 28
        }
    }
    let markdown = MarkdownExposure(
        lossPerUnit: loss, demandUntilMarkdown: lambda, daysToMarkdown: [Int32](repeating: 28, count: loss.count))
    var lossPerReturn = [Double](repeating: 0, count: items.count * N)
    for i in items.indices {
        for n in 0..<N { lossPerReturn[i * N + n] = 6 + (network.nodes[n].type == .store ? 4 : 1.5) + 0.3 * items[i].unitCost }
    }
    let returns = ReturnCostModel(
        probability: [Double](repeating: 0.12, count: items.count * ReturnCostModel.channelCount), lossPerReturn: lossPerReturn, nodeCount: N)
    let t0 = ContinuousClock.now
    let demand = zoneItem.keys.sorted().map { OpportunityCosts.Demand(zone: $0 / items.count, item: $0 % items.count, units: zoneItem[$0]!) }
    let opportunity = try OpportunityCosts.compute(network: network, state: inst.state, demand: demand, horizonDays: 1, maxDemandLines: 5_000)
    let oppSeconds = seconds(since: t0)
    let cases: [(String, SourcingSignals, Double)] = [
        ("off", SourcingSignals(), 0),
        ("markdown credit", SourcingSignals(markdown: markdown), 0),
        ("return cost", SourcingSignals(returns: returns), 0),
        ("opportunity cost", SourcingSignals(opportunity: opportunity), oppSeconds),
        ("all three", SourcingSignals(markdown: markdown, returns: returns, opportunity: opportunity), oppSeconds),
    ]
    for (name, signals, extra) in cases {
        let t = ContinuousClock.now
        let adjustments = signals.adjustments(network: network, state: inst.state)
        let r = try BatchRouter().route(inst.orders, network: network, state: inst.state, signals: adjustments)
        let rs = seconds(since: t)
        var plain = 0.0, lines = 0, shipments = 0
        let plainCands = inst.orders.map { network.candidates(for: $0) }
        for o in inst.orders.indices {
            plain += OrderOptimizer.evaluate(inst.orders[o], plainCands[o], r.choices[o]).cost
            lines += inst.orders[o].items.count
            shipments += Set(r.choices[o].filter { $0 >= 0 }).count
        }
        let onTime = Double(lines - r.unsourcedLines - r.lateLines) / Double(lines) * 100
        print(
            String(
                format: "%-17@  %13.2f  %10.2f  %6.2f%%  %9d  %4d  %9d  %7.2f  %8.2f", name, plain, r.cost - plain, onTime,
                r.unsourcedLines, r.lateLines, shipments, rs, extra))
    }
    print(
        String(
            format: "opportunity LP: %.0f expected units in %d demand lines, objective %.2f, %.2f s; nonzero (item, node) prices: %d",
            opportunity.expectedUnits, opportunity.demandLines, opportunity.lpObjective, opportunity.seconds,
            opportunity.values.filter { $0 > 1e-9 }.count))
}
