import KeelOptimization

/// The joint sourcing MIP over all orders:
///
///     min  Σ fixed[o,c]·y[o,c] + Σ lineCost[o,c,l]·a[o,c,l] + Σ unsourcedPenalty·u[o,l]
///     s.t. Σ_c a[o,c,l] + u[o,l] = 1                 every order line (whole line from one node)
///          a[o,c,l] − y[o,c] ≤ 0                     a line ships only in an opened shipment
///          Σ qty[o,l]·a[o,c,l] ≤ ats[item, node]     per (item, node) with demand on it
///          Σ qty[o,l]·a[o,c,l] ≤ capacityLeft[node]  per node with a finite capacity
///          y, a ∈ {0,1}, 0 ≤ u ≤ 1
///
/// `lineCost` = (per-kg shipping + pick + adjustment) × qty + late penalty; `a` exists only
/// where the node could hold the line alone. With `integer: false` it is the LP relaxation.
struct BatchProgram {
    var objective: [Double] = []
    var isBinary: [Bool] = []
    var entries: [SparseMatrix.Entry] = []
    var rowLower: [Double] = []
    var rowUpper: [Double] = []
    /// Per order: for each line, the (candidate, column) pairs of its `a` variables.
    var assignColumns: [[[(c: Int, column: Int)]]] = []
    /// Row of each (item × nodeCount + node) stock constraint, and each node's capacity row.
    var stockRow: [Int: Int] = [:]
    var capacityRow: [Int: Int] = [:]

    var columnCount: Int { objective.count }
    var binaryCount: Int { isBinary.lazy.filter { $0 }.count }

    /// `unsourcedCost[o][l]` replaces the unsourced penalty of a line (the opportunity-cost LP
    /// prices unmet expected demand at its lost margin).
    init(
        orders: [ResolvedOrder], candidates: [OrderCandidates], network: SourcingNetwork, state: SourcingState,
        unsourcedCost: [[Double]]? = nil
    ) {
        let N = network.nodeCount
        var stockTerms: [Int: [(column: Int, qty: Double)]] = [:]
        var capacityTerms: [Int: [(column: Int, qty: Double)]] = [:]
        for (o, order) in orders.enumerated() {
            let cand = candidates[o], L = cand.lineCount
            var perLine = [[(c: Int, column: Int)]](repeating: [], count: L)
            for c in 0..<cand.count {
                let n = cand.nodes[c]
                let holdable = (0..<L).filter {
                    state.available(item: order.items[$0], node: n) >= order.qty[$0] - 1e-9 && state.capacityLeft[n] >= order.qty[$0] - 1e-9
                }
                guard !holdable.isEmpty else { continue }
                let y = objective.count
                objective.append(cand.fixed[c]); isBinary.append(true)
                for l in holdable {
                    let k = c * L + l, col = objective.count
                    objective.append(
                        (cand.unitShip[k] + cand.unitHandling[k] + cand.unitAdjust[k]) * order.qty[l]
                            + (cand.late[c] ? OrderOptimizer.latePenalty : 0))
                    isBinary.append(true)
                    // link row: a − y ≤ 0
                    let row = rowLower.count
                    rowLower.append(-.infinity); rowUpper.append(0)
                    entries.append(.init(row: row, column: col, value: 1))
                    entries.append(.init(row: row, column: y, value: -1))
                    perLine[l].append((c, col))
                    stockTerms[order.items[l] * N + n, default: []].append((col, order.qty[l]))
                    if state.capacityLeft[n].isFinite { capacityTerms[n, default: []].append((col, order.qty[l])) }
                }
            }
            for l in 0..<L {
                let u = objective.count
                objective.append(unsourcedCost?[o][l] ?? OrderOptimizer.unsourcedPenalty); isBinary.append(false)
                let row = rowLower.count
                rowLower.append(1); rowUpper.append(1)
                entries.append(.init(row: row, column: u, value: 1))
                for (_, col) in perLine[l] { entries.append(.init(row: row, column: col, value: 1)) }
            }
            assignColumns.append(perLine)
        }
        for key in stockTerms.keys.sorted() {
            let terms = stockTerms[key]!
            let total = terms.reduce(0) { $0 + $1.qty }
            let ats = state.ats[key]
            guard total > ats + 1e-9 else { continue }  // never binding: no row
            let row = rowLower.count
            rowLower.append(-.infinity); rowUpper.append(ats)
            stockRow[key] = row
            for t in terms { entries.append(.init(row: row, column: t.column, value: t.qty)) }
        }
        for n in capacityTerms.keys.sorted() {
            let terms = capacityTerms[n]!
            let total = terms.reduce(0) { $0 + $1.qty }
            guard total > state.capacityLeft[n] + 1e-9 else { continue }
            let row = rowLower.count
            rowLower.append(-.infinity); rowUpper.append(state.capacityLeft[n])
            capacityRow[n] = row
            for t in terms { entries.append(.init(row: row, column: t.column, value: t.qty)) }
        }
    }

    func linearProgram(integer: Bool) throws -> LinearProgram {
        let n = objective.count
        return LinearProgram(
            objective: objective, constraints: try SparseMatrix(rows: rowLower.count, columns: n, entries: entries),
            rowLower: rowLower, rowUpper: rowUpper, columnLower: [Double](repeating: 0, count: n),
            columnUpper: [Double](repeating: 1, count: n), isInteger: integer ? isBinary : nil)
    }

    /// Per order, the line → candidate choice in `x` (−1 = unsourced). With `integralOnly`,
    /// orders with any fractional assignment come back nil.
    func decode(_ x: [Double], integralOnly: Bool = false) -> [[Int]?] {
        assignColumns.map { perLine in
            var choice = [Int](repeating: -1, count: perLine.count)
            for (l, cols) in perLine.enumerated() {
                for (c, col) in cols {
                    let v = x[col]
                    if v > 1 - 1e-6 { choice[l] = c } else if integralOnly, v > 1e-6 { return nil }
                }
            }
            return choice
        }
    }

    /// Opportunity cost per unit at each (item, node) from the relaxation's duals:
    /// `−(dual of the stock row + dual of the node's capacity row)` ≥ 0 (Clp's signs: a binding
    /// `≤` row has a dual ≤ 0).
    func adjustments(from lp: LinearProgramSolution, network: SourcingNetwork) -> UnitAdjustments {
        let N = network.nodeCount
        var values = [Double](repeating: 0, count: network.items.count * N)
        for (key, row) in stockRow { values[key] += max(-lp.rowDuals[row], 0) }
        for (n, row) in capacityRow {
            let d = max(-lp.rowDuals[row], 0)
            guard d > 0 else { continue }
            for i in 0..<network.items.count { values[i * N + n] += d }
        }
        return UnitAdjustments(values: values)
    }
}
