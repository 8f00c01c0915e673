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
let parts = args.isEmpty ? ["a", "b"] : Array(args)

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
