import KeelCore
import KeelStore

/// The expected return cost of a unit: `P(return | category, channel) × cost of a return at the
/// fulfilling node`.
///
/// - Return probability by (category, channel), learned from the history (units returned /
///   units sold) with shrinkage toward the overall rate: `(R + k·p̄) / (S + k)`, k =
///   `priorUnits`, p̄ = all returns / all sales. A category or channel with no history gets p̄.
/// - Cost of a return at node n: return shipping + handling at n's type (returns go back to the
///   node that shipped) + the unit's cost not recovered, `unit_cost × (1 − recovered share)`;
///   the recovered share (returns restocked or credited by the vendor) is learned by category
///   with the same shrinkage toward the overall share. This is "return shipping + handling −
///   recovered value" with the unit's cost counted as what a return puts at risk.
///
/// When shipping and handling are the same at every node type the cost is the same at every
/// node: a constant per line that cannot change which plan is best, but is part of the plan's
/// total (the expected cost to serve).
public struct ReturnCostModel: Sendable {
    /// `probability[item × channelCount + channel.code]`.
    public var probability: [Double]
    /// `lossPerReturn[item × nodeCount + node]`.
    public var lossPerReturn: [Double]
    public let nodeCount: Int
    public static let channelCount = Channel.allCases.count

    public init(probability: [Double], lossPerReturn: [Double], nodeCount: Int) {
        self.probability = probability; self.lossPerReturn = lossPerReturn; self.nodeCount = nodeCount
    }

    public init(network: SourcingNetwork, history: [SourcingSignalInputs.ReturnHistory], configuration c: SignalConfiguration.Returns) {
        let k = max(c.priorUnits, 0)
        var sold = 0.0, returned = 0.0, recovered = 0.0
        var byKey: [String: SourcingSignalInputs.ReturnHistory] = [:]
        var byCategory: [String: (returned: Double, recovered: Double)] = [:]
        for h in history {
            sold += h.soldUnits; returned += h.returnedUnits; recovered += h.recoveredUnits
            byKey[h.category + "\u{1}" + h.channel] = h
            byCategory[h.category, default: (0, 0)].returned += h.returnedUnits
            byCategory[h.category, default: (0, 0)].recovered += h.recoveredUnits
        }
        let overallRate = sold > 0 ? min(returned / sold, 1) : 0
        let overallRecovered = returned > 0 ? min(recovered / returned, 1) : 0
        let C = Self.channelCount, N = network.nodeCount
        var p = [Double](repeating: 0, count: network.items.count * C)
        var loss = [Double](repeating: 0, count: network.items.count * N)
        for (i, item) in network.items.enumerated() {
            for channel in Channel.allCases {
                let h = byKey[item.category + "\u{1}" + channel.rawValue]
                let s = h?.soldUnits ?? 0, r = h?.returnedUnits ?? 0
                p[i * C + channel.code] = s + k > 0 ? min((r + k * overallRate) / (s + k), 1) : overallRate
            }
            let cat = byCategory[item.category] ?? (0, 0)
            let share = cat.returned + k > 0 ? min((cat.recovered + k * overallRecovered) / (cat.returned + k), 1) : overallRecovered
            let written = item.unitCost * (1 - share)
            for n in 0..<N {
                let type = network.nodes[n].type
                loss[i * N + n] = c.shipping(type) + c.handling(type) + written
            }
        }
        self.init(probability: p, lossPerReturn: loss, nodeCount: N)
    }

    @inline(__always) public func perUnit(item: Int, channel: Channel, node: Int) -> Double {
        probability[item * Self.channelCount + channel.code] * lossPerReturn[item * nodeCount + node]
    }
}
