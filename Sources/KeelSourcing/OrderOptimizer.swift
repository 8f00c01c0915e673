/// Exact sourcing of one order by depth-first branch and bound over (line → candidate node or
/// unsourced), under the stock and capacity in a `SourcingState`.
///
/// Lines are not split across nodes: each line ships whole from one node or is unsourced. The
/// objective is lexicographic, encoded with penalties far above any shipping cost:
/// `unsourcedPenalty` per unsourced line ≫ `latePenalty` per late line ≫ shipping + handling
/// (+ signal adjustments). Bound at a partial assignment with R lines left: cost so far plus,
/// per remaining line, the least of its unsourced penalty and `unit cost × qty + late penalty +
/// fixed/R` over candidates not yet opened (a node opened later serves at most R of the remaining
/// lines, so it charges each at least fixed/R) — a valid lower bound, so the search is exact.
/// Keeps the k best distinct assignments. Work is capped by `nodeBudget`; `exact` reports
/// whether the search finished.
public struct OrderOptimizer {
    public static let latePenalty = 1_000.0
    public static let unsourcedPenalty = 100_000.0

    public struct Assignment: Sendable, Equatable {
        /// Candidate index per line, −1 = unsourced.
        public var choice: [Int]
        /// Penalised objective.
        public var objective: Double
    }

    public struct Result: Sendable {
        public var best: [Assignment]
        public var exact: Bool
        public var nodesExplored: Int
    }

    public var nodeBudget = 2_000_000

    public init() {}

    /// The k best assignments of `order` over `cand` under `state`.
    public func solve(_ order: ResolvedOrder, _ cand: OrderCandidates, state: SourcingState, k: Int = 1) -> Result {
        var search = Search(order: order, cand: cand, state: state, k: max(k, 1), budget: nodeBudget)
        search.run()
        return Result(best: search.best, exact: !search.exhausted, nodesExplored: search.explored)
    }

    /// Shipping + handling + adjustments (no penalties), late lines and unsourced lines of an assignment.
    public static func evaluate(_ order: ResolvedOrder, _ cand: OrderCandidates, _ choice: [Int]) -> (cost: Double, late: Int, unsourced: Int) {
        let L = cand.lineCount
        var opened = Set<Int>(), total = 0.0, late = 0, unsourced = 0
        for l in 0..<L {
            let c = choice[l]
            if c < 0 { unsourced += 1; continue }
            if opened.insert(c).inserted { total += cand.fixed[c] }
            let k = c * L + l
            total += (cand.unitShip[k] + cand.unitHandling[k] + cand.unitAdjust[k]) * order.qty[l]
            if cand.late[c] { late += 1 }
        }
        return (total, late, unsourced)
    }

    /// The penalised objective of an assignment (for checks and repair).
    public static func objective(_ order: ResolvedOrder, _ cand: OrderCandidates, _ choice: [Int]) -> Double {
        let L = cand.lineCount
        var opened = Set<Int>(), total = 0.0
        for l in 0..<L {
            let c = choice[l]
            if c < 0 { total += unsourcedPenalty; continue }
            if opened.insert(c).inserted { total += cand.fixed[c] }
            let k = c * L + l
            total += (cand.unitShip[k] + cand.unitHandling[k] + cand.unitAdjust[k]) * order.qty[l]
            if cand.late[c] { total += latePenalty }
        }
        return total
    }
}

private struct Search {
    let L: Int, C: Int, k: Int, budget: Int
    let qty: [Double]
    /// Lines in search order (largest quantity first).
    let orderOf: [Int]
    /// Line cost at candidate (without fixed), penalties included; `.infinity` where the
    /// candidate can never hold the line (stock or capacity below its quantity).
    let lineCost: [Double]
    /// Per line, candidates sorted by line cost + fixed (cheapest first), feasible only.
    let sortedCands: [[Int]]
    let fixed: [Double]
    let itemGroup: [Int]
    let stock: [Double]
    let capacity: [Double]
    var openCount: [Int]
    /// The candidates with at least one line, in opening order (at most L).
    var opened: [Int] = []
    /// Per (R lines left, line): min over the line's feasible candidates of line cost + fixed/R —
    /// the bound's term for candidates not yet opened, computed once (`unopenedMin[R × L + l]`).
    let unopenedMin: [Double]
    var capUsed: [Double]
    var stockUsed: [Double]
    var choice: [Int]
    var best: [OrderOptimizer.Assignment] = []
    var explored = 0
    var exhausted = false

    init(order: ResolvedOrder, cand: OrderCandidates, state: SourcingState, k: Int, budget: Int) {
        let L = cand.lineCount, C = cand.count
        self.L = L; self.C = C; self.k = k; self.budget = budget
        qty = order.qty
        fixed = cand.fixed
        var group = [Int](repeating: 0, count: L)
        for l in 0..<L { group[l] = (0..<l).first(where: { order.items[$0] == order.items[l] }) ?? l }
        itemGroup = group
        var st = [Double](repeating: 0, count: C * L), cap = [Double](repeating: 0, count: C)
        var lc = [Double](repeating: .infinity, count: C * L)
        for c in 0..<C {
            let n = cand.nodes[c]
            cap[c] = state.capacityLeft[n]
            for l in 0..<L {
                st[c * L + l] = state.available(item: order.items[l], node: n)
                guard st[c * L + l] >= order.qty[l] - 1e-9, cap[c] >= order.qty[l] - 1e-9 else { continue }
                let i = c * L + l
                lc[i] =
                    (cand.unitShip[i] + cand.unitHandling[i] + cand.unitAdjust[i]) * order.qty[l]
                    + (cand.late[c] ? OrderOptimizer.latePenalty : 0)
            }
        }
        stock = st; capacity = cap; lineCost = lc
        orderOf = (0..<L).sorted { (order.qty[$0], -$0) > (order.qty[$1], -$1) }
        var sorted: [[Int]] = []
        for l in 0..<L {
            let fixedShare = Double(max(L, 1))
            sorted.append(
                (0..<C).filter { lc[$0 * L + l].isFinite }
                    .sorted { (lc[$0 * L + l] + cand.fixed[$0] / fixedShare, $0) < (lc[$1 * L + l] + cand.fixed[$1] / fixedShare, $1) })
        }
        sortedCands = sorted
        var um = [Double](repeating: OrderOptimizer.unsourcedPenalty, count: (L + 1) * L)
        for r in stride(from: 1, through: L, by: 1) {
            let remaining = Double(r)
            for l in 0..<L {
                for c in sorted[l] { um[r * L + l] = min(um[r * L + l], lc[c * L + l] + cand.fixed[c] / remaining) }
            }
        }
        unopenedMin = um
        opened.reserveCapacity(L)
        openCount = [Int](repeating: 0, count: C)
        capUsed = [Double](repeating: 0, count: C)
        stockUsed = [Double](repeating: 0, count: C * L)
        choice = [Int](repeating: -1, count: L)
    }

    var threshold: Double { best.count < k ? .infinity : best[best.count - 1].objective }

    mutating func run() { dfs(depth: 0, cost: 0) }

    /// Per remaining line, the least of: unsourced, an opened candidate's line cost, an unopened
    /// one's line cost + fixed/R. Counting opened candidates among the unopened (with fixed/R
    /// added) cannot lower the minimum below their plain line cost, so the precomputed
    /// `unopenedMin` gives exactly the per-candidate minimum in O(lines × opened).
    func bound(depth: Int) -> Double {
        let r = L - depth
        var total = 0.0
        for d in depth..<L {
            let l = orderOf[d]
            var m = unopenedMin[r * L + l]
            for c in opened where lineCost[c * L + l] < m { m = lineCost[c * L + l] }
            total += m
        }
        return total
    }

    mutating func record(_ cost: Double) {
        let a = OrderOptimizer.Assignment(choice: choice, objective: cost)
        let at = best.firstIndex { $0.objective > cost } ?? best.count
        best.insert(a, at: at)
        if best.count > k { best.removeLast() }
    }

    mutating func dfs(depth: Int, cost: Double) {
        explored += 1
        if explored > budget { exhausted = true; return }
        if depth == L { if cost < threshold - 1e-9 || best.count < k { record(cost) }; return }
        if cost + bound(depth: depth) >= threshold - 1e-9 { return }
        let l = orderOf[depth], g = itemGroup[l], q = qty[l]
        for c in sortedCands[l] {
            let s = c * L + g
            guard stockUsed[s] + q <= stock[c * L + l] + 1e-9, capUsed[c] + q <= capacity[c] + 1e-9 else { continue }
            let add = lineCost[c * L + l] + (openCount[c] > 0 ? 0 : fixed[c])
            choice[l] = c; openCount[c] += 1; capUsed[c] += q; stockUsed[s] += q
            if openCount[c] == 1 { opened.append(c) }
            dfs(depth: depth + 1, cost: cost + add)
            if openCount[c] == 1 { opened.removeLast() }
            choice[l] = -1; openCount[c] -= 1; capUsed[c] -= q; stockUsed[s] -= q
            if exhausted { return }
        }
        choice[l] = -1
        dfs(depth: depth + 1, cost: cost + OrderOptimizer.unsourcedPenalty)
        choice[l] = -1
    }
}
