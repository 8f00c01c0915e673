import Foundation
import KeelCore

extension Simulation {
    /// Records a drop candidate's store units on an ordinary day (store open, on sale, no promotion).
    @inline(__always)
    func recordDropHistory(_ p: Int, day d: Int, units: Int32) {
        guard let row = dropCandidateRow[p] else { return }
        dropHistory[row * days + d] = units
    }

    /// Gives each drop due today a pair: drawn among the candidates (no spike, no drop yet, not
    /// turned down before) for which `SalesDropRule` finds a length from today's history. A drop
    /// for which no candidate qualifies is not injected.
    func assignDrops(_ d: Int) {
        guard pendingDrops.contains(where: { $0.start <= d }) else { return }
        var due: [(start: Int, extra: Int)] = []
        pendingDrops.removeAll { slot in
            if slot.start <= d { due.append(slot); return true }
            return false
        }
        for slot in due {
            var eligible: [Int] = []
            for p in dropCandidates where pairFlag[p] & 3 == 0 && dropPlans[p] == nil && !dropRejected.contains(p) {
                if dropLength(pair: p, from: d, extra: slot.extra) != nil { eligible.append(p) }
            }
            guard !eligible.isEmpty else { continue }
            let p = eligible[anomalyRng.int(eligible.count)]
            dropPlans[p] = (d, slot.extra, 0, false)
            pairFlag[p] |= 2
        }
    }

    /// The whole length (the rule's days + `extra`) of a drop on store pair `p` beginning on day
    /// `d`, from its ordinary days in the `SalesDropRule.historyDays` before; nil when the rule
    /// finds none or the data end first.
    func dropLength(pair p: Int, from d: Int, extra: Int) -> Int? {
        guard let row = dropCandidateRow[p] else { return nil }
        // Expected level: the SKU's level × the chain's store traffic (the pair's own store size,
        // region and effect are constant factors and cancel in the rule's ratios).
        let k = p % skuCount
        var units: [Double] = [], levels: [Double] = []
        for t in max(0, d - SalesDropRule.historyDays)..<d {
            let u = dropHistory[row * days + t]
            guard u >= 0 else { continue }
            units.append(Double(u))
            levels.append(skuLevel(k, day: t) * calendar.store[t])
        }
        let horizon = min(days, d + SalesDropRule.maximumDays)
        let gap = (d..<horizon).map { skuLevel(k, day: $0) * calendar.store[$0] }
        guard !gap.isEmpty, let length = SalesDropRule.length(units: units, levels: levels, gapLevels: gap) else { return nil }
        guard d + length + extra < days else { return nil }
        return length + extra
    }

    /// Whether store pair `p` is inside a started drop on day `d` (it must not sell then).
    @inline(__always)
    func inDrop(_ p: Int, day d: Int) -> Bool {
        guard pairFlag[p] & 2 != 0, let drop = dropPlans[p], drop.confirmed else { return false }
        return d >= drop.start && d < drop.start + drop.length
    }
}
