import KeelCore
import KeelStore

extension KPICalculator {
    /// Units within which a snapshot counts as explained.
    static let inventoryTolerance = 1e-6

    /// Inventory accuracy by reconciling snapshots. For every snapshot with `as_of` in the window
    /// that has an earlier snapshot of the same (location, sku), the implied on-hand is
    ///
    ///     previous on_hand + Σ PO receipts (received_qty, else qty) + Σ transfers received
    ///       − Σ transfers shipped − Σ sales qty + Σ `restock` returns qty
    ///
    /// over the days after the previous snapshot up to and including this one (snapshots hold the
    /// stock at the end of their day). A mismatch is |on_hand − implied| > 1e-6 units. Every
    /// snapshot in the window is also checked for an impossible position (reserved + damaged >
    /// on_hand, i.e. negative available stock). A snapshot is inaccurate when it fails either check;
    /// the mismatch rate is inaccurate snapshots / snapshots in the window.
    ///
    /// Two sorted scans (snapshots, then movements grouped per pair-day) merged in one pass: O(S + M).
    func inventoryAccuracy() throws -> Measured<InventoryAccuracyKPI> {
        let snapshots = try reader.query("""
            WITH s AS (SELECT location_key, item_key, as_of, on_hand,
                              LAG(as_of) OVER w AS prev_day, LAG(on_hand) OVER w AS prev_on_hand, reserved + damaged > on_hand AS impossible
                       FROM inventory_snapshots WHERE as_of <= ?
                       WINDOW w AS (PARTITION BY location_key, item_key ORDER BY as_of))
            SELECT location_key, item_key, as_of, on_hand, prev_day, prev_on_hand, impossible FROM s
            WHERE as_of >= ? ORDER BY location_key, item_key, as_of
            """, [window[1], window[0]])
        guard !snapshots.isEmpty else { return .unavailable("no inventory snapshot in the window \(windowText)") }
        let lo = snapshots.compactMap { $0[4].int }.min() ?? Int64(asOf.rawValue)
        let range: [CellValue] = [.integer(lo), window[1]]
        let moves = try reader.query("""
            SELECT loc, item, day, SUM(delta) FROM (
              SELECT location_key AS loc, item_key AS item, day, -qty AS delta FROM sales WHERE day > ? AND day <= ?
              UNION ALL SELECT location_key, item_key, day, qty FROM returns WHERE disposition = 'restock' AND day > ? AND day <= ?
              UNION ALL SELECT location_key, item_key, received_day, IFNULL(received_qty, qty) FROM purchase_orders
                WHERE received_day > ? AND received_day <= ?
              UNION ALL SELECT to_location_key, item_key, received_day, qty FROM transfers WHERE received_day > ? AND received_day <= ?
              UNION ALL SELECT from_location_key, item_key, shipped_day, -qty FROM transfers WHERE shipped_day > ? AND shipped_day <= ?)
            GROUP BY loc, item, day ORDER BY loc, item, day
            """, range + range + range + range + range)
        func key(_ r: [CellValue]) -> (Int64, Int64, Int64) { (r[0].int ?? 0, r[1].int ?? 0, r[2].int ?? 0) }
        var j = 0, checked = 0, mismatches = 0, impossible = 0, inaccurate = 0, difference = 0.0
        for s in snapshots {
            let bad = s[6].int == 1
            if bad { impossible += 1 }
            guard let prev = s[4].int else { inaccurate += bad ? 1 : 0; continue }
            checked += 1
            let (loc, item, day) = key(s)
            // Skip movements of earlier pairs, and of this pair up to the previous snapshot.
            while j < moves.count, key(moves[j]) <= (loc, item, prev) { j += 1 }
            var implied = s[5].double ?? 0
            while j < moves.count, key(moves[j]) <= (loc, item, day) {
                implied += moves[j][3].double ?? 0
                j += 1
            }
            let d = abs((s[3].double ?? 0) - implied)
            difference += d
            if d > Self.inventoryTolerance { mismatches += 1 }
            if d > Self.inventoryTolerance || bad { inaccurate += 1 }
        }
        let n = Double(snapshots.count)
        return .value(InventoryAccuracyKPI(snapshots: snapshots.count, snapshotsChecked: checked, mismatches: mismatches,
                                           impossiblePositions: impossible, inaccurate: inaccurate,
                                           mismatchRate: Double(inaccurate) / n, accuracy: 1 - Double(inaccurate) / n,
                                           absoluteUnitDifference: difference, tolerance: Self.inventoryTolerance))
    }
}
