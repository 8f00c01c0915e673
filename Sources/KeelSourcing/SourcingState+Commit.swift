extension SourcingState {
    /// Whether `choice` fits the stock and capacity left (lines of one order drawing on the same
    /// item and node are summed).
    public func fits(_ order: ResolvedOrder, _ cand: OrderCandidates, _ choice: [Int]) -> Bool {
        var copy = self
        return copy.commitIfFits(order, cand, choice)
    }

    /// Takes the assignment's units out of stock and capacity; returns false (and changes
    /// nothing) when it does not fit.
    @discardableResult
    public mutating func commitIfFits(_ order: ResolvedOrder, _ cand: OrderCandidates, _ choice: [Int]) -> Bool {
        for l in choice.indices where choice[l] >= 0 {
            let n = cand.nodes[choice[l]], i = order.items[l] * nodeCount + n
            ats[i] -= order.qty[l]
            capacityLeft[n] -= order.qty[l]
        }
        var ok = true
        for l in choice.indices where choice[l] >= 0 {
            let n = cand.nodes[choice[l]]
            if ats[order.items[l] * nodeCount + n] < -1e-9 || capacityLeft[n] < -1e-9 { ok = false; break }
        }
        if !ok { release(order, cand, choice) }
        return ok
    }

    /// Puts the assignment's units back.
    public mutating func release(_ order: ResolvedOrder, _ cand: OrderCandidates, _ choice: [Int]) {
        for l in choice.indices where choice[l] >= 0 {
            let n = cand.nodes[choice[l]]
            ats[order.items[l] * nodeCount + n] += order.qty[l]
            capacityLeft[n] += order.qty[l]
        }
    }
}
