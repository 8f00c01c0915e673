import GRDB
import KeelCore

/// The current stock position per (location, sku), by status.
///
/// A position starts from the latest inventory snapshot (stock at the end of its `as_of` day) and
/// is moved by the sales and returns dated after that day as they are imported: a sale takes units
/// from `on_hand`; a `restock` return puts them back; a `damaged` return adds to `damaged`
/// (data-contract semantics). A newer snapshot replaces the position, as a stock count does —
/// except for the order router's active reservations: `reserved` is the snapshot's `reserved`
/// (holds the source system knows of) plus the units of every row in `reservations` at that
/// node × sku, so a re-import never frees units the router has promised. On-hand comes from the
/// snapshot, the router's share of reserved from its ledger.
/// Available-to-sell is `on_hand − reserved − damaged` (view `v_available_to_sell`); in-transit
/// supply with its expected arrival is in `v_inbound_supply`.
public enum InventoryPositions {
    static func refresh(_ db: Database, snapshotPairs: Set<UInt64>, sales: DemandAccumulator,
                        returns: [UInt64: (restock: Double, damaged: Double)]) throws {
        let upsert = try RawStatement(db, """
            INSERT INTO inventory_positions(location_key, item_key, on_hand, in_transit, reserved, damaged, as_of)
            SELECT s.location_key, s.item_key, s.on_hand, s.in_transit,
                   s.reserved + IFNULL((SELECT SUM(r.qty) FROM reservations r
                                        WHERE r.location_key = s.location_key AND r.item_key = s.item_key), 0),
                   s.damaged, s.as_of
            FROM inventory_snapshots s
            WHERE s.location_key = ? AND s.item_key = ? ORDER BY s.as_of DESC LIMIT 1
            ON CONFLICT(location_key, item_key) DO UPDATE SET
              on_hand = excluded.on_hand, in_transit = excluded.in_transit, reserved = excluded.reserved,
              damaged = excluded.damaged, as_of = excluded.as_of
            WHERE excluded.as_of >= inventory_positions.as_of
            """)
        for pair in snapshotPairs.sorted() {
            upsert.reset()
            upsert.bind(1, Int64(pair >> 24)); upsert.bind(2, Int64(pair & 0xFFFFFF))
            try upsert.step()
        }
        guard !sales.isEmpty || !returns.isEmpty else { return }
        var asOf: [UInt64: Int32] = [:]
        let list = try RawStatement(db, "SELECT location_key, item_key, as_of FROM inventory_positions")
        while try list.step() { asOf[UInt64(list.int64(0)) << 24 | UInt64(list.int64(1))] = Int32(list.int64(2)) }
        var delta: [UInt64: (onHand: Double, damaged: Double)] = [:]
        for (key, cell) in sales.cells {
            let day = Int32(key & 0x1FFFF)
            let (_, loc, item) = DemandAccumulator.decode(series: key >> 17)
            let pair = UInt64(loc) << 24 | UInt64(item)
            if let a = asOf[pair], day > a { delta[pair, default: (0, 0)].onHand -= cell.units }
        }
        for (key, v) in returns {
            let day = Int32(key & 0x1FFFF), pair = key >> 17
            if let a = asOf[pair], day > a {
                delta[pair, default: (0, 0)].onHand += v.restock
                delta[pair, default: (0, 0)].damaged += v.damaged
            }
        }
        let apply = try RawStatement(db, """
            UPDATE inventory_positions SET on_hand = on_hand + ?, damaged = damaged + ? WHERE location_key = ? AND item_key = ?
            """)
        for pair in delta.keys.sorted() {
            let d = delta[pair]!
            apply.reset()
            apply.bind(1, d.onHand); apply.bind(2, d.damaged)
            apply.bind(3, Int64(pair >> 24)); apply.bind(4, Int64(pair & 0xFFFFFF))
            try apply.step()
        }
    }
}
