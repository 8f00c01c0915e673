import KeelCore
import KeelStore

/// The aging / markdown credit: units at a node that will not sell there before their markdown
/// are cheaper to ship from it, by the markdown loss they avoid.
///
/// Per (item, node): the markdown loss per unit `depth × unit_price` (= `unit_price −
/// markdown price`), and the node's expected demand λ until the markdown date (its forecast daily
/// rate × days to the markdown, every channel at that location). With `s` units available, the
/// last of them is still unsold at the markdown when demand is below `s`, so shipping one unit
/// now avoids `loss × P(D ≤ s − 1)`, D ~ Poisson(λ) — the credit per unit (computed at the
/// stock in the state, as store protection is).
///
/// The markdown date and depth come from the price list: the earliest price row starting after
/// the as-of date (within `scheduledWithinDays`) below the item's `unit_price`, the location's
/// own row over an all-locations row. The contract has no stock-age field, so items without a
/// scheduled markdown are assumed marked down by `defaultDepth` after `defaultHorizonDays`
/// (configurable; depth 0 switches that assumption off).
public struct MarkdownExposure: Sendable {
    /// `depth × unit_price` per (item × nodeCount + node); 0 = no markdown expected.
    public var lossPerUnit: [Double]
    /// λ: expected demand at the node before the markdown.
    public var demandUntilMarkdown: [Double]
    /// Days from the as-of date to the markdown.
    public var daysToMarkdown: [Int32]
    /// The forecast run the demand came from.
    public var forecastRunId: Int64

    public init(lossPerUnit: [Double], demandUntilMarkdown: [Double], daysToMarkdown: [Int32], forecastRunId: Int64 = 0) {
        self.lossPerUnit = lossPerUnit; self.demandUntilMarkdown = demandUntilMarkdown
        self.daysToMarkdown = daysToMarkdown; self.forecastRunId = forecastRunId
    }

    /// From the store's inputs (`rates` nil = no forecast run: nothing is known about
    /// sell-through, and the signal stays off).
    public init?(
        network: SourcingNetwork, rates: SourcingSignalInputs.ForecastRates?, markdowns: [SourcingSignalInputs.ScheduledMarkdown],
        configuration: SignalConfiguration.Markdown
    ) {
        guard let rates else { return nil }
        let N = network.nodeCount, count = network.items.count * N
        var perDay = [Double](repeating: 0, count: count)
        for r in rates.byLocation {
            guard let n = network.node(key: r.locationKey), let i = network.item(key: r.itemKey) else { continue }
            perDay[i * N + n] += r.perDay
        }
        // Earliest scheduled markdown per item for all locations, and per (item, node).
        var general: [Int: (day: Day, price: Double)] = [:]
        var specific: [Int: (day: Day, price: Double)] = [:]
        for m in markdowns {
            guard let i = network.item(key: m.itemKey) else { continue }
            if let key = m.locationKey {
                guard let n = network.node(key: key) else { continue }
                if specific[i * N + n] == nil { specific[i * N + n] = (m.day, m.price) }
            } else if general[i] == nil {
                general[i] = (m.day, m.price)
            }
        }
        var loss = [Double](repeating: 0, count: count), lambda = loss
        var days = [Int32](repeating: 0, count: count)
        for i in network.items.indices {
            let price = network.items[i].unitPrice
            for n in 0..<N {
                let k = i * N + n
                let depth: Double, horizon: Int32
                if let m = specific[k] ?? general[i], price > 0 {
                    depth = 1 - m.price / price
                    horizon = m.day.rawValue - network.asOf.rawValue
                } else {
                    depth = configuration.defaultDepth
                    horizon = Int32(configuration.defaultHorizonDays)
                }
                guard depth > 0, horizon > 0 else { continue }
                loss[k] = depth * price
                lambda[k] = perDay[k] * Double(horizon)
                days[k] = horizon
            }
        }
        self.init(lossPerUnit: loss, demandUntilMarkdown: lambda, daysToMarkdown: days, forecastRunId: rates.runId)
    }

    /// The credit per unit shipped from `index` (item × nodeCount + node) with `available` units there.
    @inline(__always) public func creditPerUnit(_ index: Int, available: Double) -> Double {
        let loss = lossPerUnit[index]
        guard loss > 0, available >= 1 else { return 0 }
        let s = Int(available.rounded(.down))
        return loss * (1 - SourcingSignals.poissonTail(demandUntilMarkdown[index], atLeast: s))
    }
}
