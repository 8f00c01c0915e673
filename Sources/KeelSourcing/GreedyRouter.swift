/// The myopic baseline: orders in sequence, each line from the nearest node (great-circle
/// distance to the zone centroid; for pickup, the pickup store first, then the nearest node with
/// a lane) that has the units and capacity left; lines sent from the same node share a shipment.
/// No cost, promise or consolidation awareness — what a "nearest node with stock" rule does.
public enum GreedyRouter {
    public static func route(
        _ orders: [ResolvedOrder], candidates: [OrderCandidates], network: SourcingNetwork,
        state: inout SourcingState
    ) -> [[Int]] {
        var out: [[Int]] = []
        out.reserveCapacity(orders.count)
        for (o, order) in orders.enumerated() {
            let cand = candidates[o]
            let ranked = (0..<cand.count).sorted {
                (rank(network, order, cand.nodes[$0]), $0) < (rank(network, order, cand.nodes[$1]), $1)
            }
            var choice = [Int](repeating: -1, count: cand.lineCount)
            for l in 0..<cand.lineCount {
                for c in ranked {
                    let n = cand.nodes[c]
                    if state.available(item: order.items[l], node: n) >= order.qty[l] - 1e-9, state.capacityLeft[n] >= order.qty[l] - 1e-9 {
                        choice[l] = c
                        state.ats[order.items[l] * state.nodeCount + n] -= order.qty[l]
                        state.capacityLeft[n] -= order.qty[l]
                        break
                    }
                }
            }
            out.append(choice)
        }
        return out
    }

    private static func rank(_ network: SourcingNetwork, _ order: ResolvedOrder, _ n: Int) -> Double {
        if let store = order.pickupNode { return n == store ? -1 : distance(network, n, store) }
        return network.distanceKm(node: n, zone: order.zone)
    }

    private static func distance(_ network: SourcingNetwork, _ a: Int, _ b: Int) -> Double {
        let p = network.nodes[a], q = network.nodes[b]
        return ((p.latitude - q.latitude) * (p.latitude - q.latitude) + (p.longitude - q.longitude) * (p.longitude - q.longitude)).squareRoot()
    }
}
