import GRDB
import KeelCore
import KeelStore

/// Line-level pricing: `price_below_cost`, `price_override`, `promo_outside_window`.
///
/// Every sales line up to the as-of day is priced against its approved prices (in one pass over
/// an in-memory price book; the lines failing a check are then priced again in SQL): the
/// effective list price for its sku, channel, location and day (the most specific price row —
/// location over all, then the later start — as data-contract.md says), and the promotion price
/// when an active promotion covers the line.
///
/// - `promo_outside_window`: the line names a promotion that does not cover it (unknown id, not
///   for this sku, outside its dates, or not for this channel or location). Money at risk: the
///   discount below list, `(list − unit_price) × qty`.
/// - `price_below_cost`: net unit price `unit_price − discount / qty` below the item's unit cost
///   while every approved price (list, covering promotion) is at or above that net price plus the
///   tolerance (a clearance or promotion price below cost is approved, not an anomaly). Money at
///   risk: `(unit_cost − net unit price) × qty`.
/// - `price_override`: the charged unit price differs from every approved price by more than the
///   tolerance. A line charged the price of the promotion it names is judged under
///   `promo_outside_window`, and a line charged below cost under `price_below_cost` (the more
///   specific kind), so one mispriced line is not counted twice. Money at risk:
///   `|approved − unit_price| × qty` against the nearest approved price.
enum PricingDetector: AnomalyDetector {
    static let kinds: [AnomalyKind] = [.priceBelowCost, .priceOverride, .promoOutsideWindow]
    static let inputs: DetectionInputs = [.sales]

    static func detect(_ c: DetectionContext, into findings: inout [AnomalyFinding]) throws {
        let p = c.configuration.pricing
        // Pass 1, over every line: price it against the in-memory price book and keep the keys of
        // the lines that fail a check (tolerances halved, so this is a superset of pass 2's).
        let book = try PriceBook(c.db)
        try c.db.execute(
            sql: """
                DROP TABLE IF EXISTS temp.anomaly_price_lines;
                CREATE TEMP TABLE anomaly_price_lines(transaction_id TEXT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY (transaction_id, line)) WITHOUT ROWID;
                """)
        defer { try? c.db.execute(sql: "DROP TABLE IF EXISTS temp.anomaly_price_lines") }
        let keep = try c.db.makeStatement(sql: "INSERT OR IGNORE INTO anomaly_price_lines VALUES (?, ?)")
        let sales = c.sales
        for l in 0..<sales.count where sales.day[l] <= c.asOfDay {
            let day = sales.day[l], ch = Int(min(sales.channel[l], 7)), location = Int64(sales.location[l]), item = Int64(sales.item[l])
            let qty = sales.qty[l], price = sales.unitPrice[l], discount = sales.discount[l]
            let promoCode = sales.promo[l], hasPromo = promoCode >= 0
            let list = book.list(item: item, channel: ch, location: location, day: day)
            let promo = book.promotion(
                item: item, channel: ch, location: location, day: day, named: hasPromo ? sales.promoIds[Int(promoCode)] : nil, list: list)
            var flag = hasPromo && !promo.covered
            if !flag && qty > 0 && price - discount / qty < c.itemCost[Int(item)] - 0.004 { flag = true }
            if !flag, let list {
                let tol = max(p.absoluteTolerance, p.relativeTolerance * list) / 2
                if abs(price - list) > tol && (promo.price.map { abs(price - $0) > tol } ?? true) { flag = true }
            }
            if flag { try keep.execute(arguments: [sales.transactionId(Int(sales.transaction[l])), Int64(sales.line[l])]) }
        }
        // list: the effective list price; promo: the covering promotion named on the line (or,
        // for a line without promo_id, any covering active promotion) as a price (negative = a
        // discount fraction of list).
        let sql = """
            WITH l AS (
              SELECT s.transaction_id, s.line, s.day, s.channel, s.location_key, s.item_key, s.qty, s.unit_price, s.discount,
                     s.promo_id, s.cashier_id, s.customer_id, i.unit_cost,
                     (SELECT pr.price FROM prices pr WHERE pr.item_key = s.item_key AND pr.channel = s.channel
                        AND (pr.location_key IS NULL OR pr.location_key = s.location_key)
                        AND pr.start_day <= s.day AND (pr.end_day IS NULL OR pr.end_day >= s.day)
                      ORDER BY pr.location_key IS NULL, pr.start_day DESC LIMIT 1) AS list,
                     (SELECT IFNULL(m.promo_price, -m.discount_pct) FROM promotions m
                      WHERE m.item_key = s.item_key AND (s.promo_id IS NULL OR m.promo_id = s.promo_id)
                        AND m.start_day <= s.day AND m.end_day >= s.day
                        AND (m.channel IS NULL OR m.channel = s.channel) AND (m.location_key IS NULL OR m.location_key = s.location_key)
                      LIMIT 1) AS promo
              FROM anomaly_price_lines f JOIN sales s ON s.transaction_id = f.transaction_id AND s.line = f.line
              JOIN items i ON i.item_key = s.item_key
              WHERE s.day <= ?1)
            SELECT transaction_id, line, day, channel, location_key, item_key, qty, unit_price, discount, promo_id,
                   cashier_id, customer_id, unit_cost, list, promo
            FROM l
            WHERE (promo_id IS NOT NULL AND promo IS NULL)
               OR (qty > 0 AND unit_price - discount / qty < unit_cost - 0.005)
               OR (list IS NOT NULL AND abs(unit_price - list) > max(?2, ?3 * list)
                   AND (promo IS NULL OR abs(unit_price - (CASE WHEN promo >= 0 THEN promo ELSE round(list * (1 + promo), 2) END)) > max(?2, ?3 * list)))
            """
        let rows = try Row.fetchCursor(c.db, sql: sql, arguments: [c.day, p.absoluteTolerance, p.relativeTolerance])
        var outsidePromos: [(Row, String)] = []
        while let r = try rows.next() {
            let txn: String = r[0], line: Int = r[1], day = Day(rawValue: Int32(r[2] as Int64))
            let channel: String = r[3], location: Int64 = r[4], item: Int64 = r[5]
            let qty: Double = r[6], price: Double = r[7], discount: Double = r[8]
            let promoId: String? = r[9], cashier: String? = r[10], customer: String? = r[11], cost: Double = r[12]
            let list: Double? = r[13], promoRaw: Double? = r[14]
            let promoPrice: Double? = promoRaw.flatMap { raw in raw >= 0 ? raw : list.map { l in (l * (1 + raw) * 100).rounded() / 100 } }
            let key = [txn, String(line)]
            let sku = c.itemSku[Int(item)], locationName = c.locationId[Int(location)]
            let category = c.itemCategory[Int(item)]
            if promoId != nil && promoRaw == nil {
                outsidePromos.append((r.copy(), promoId!))
                continue
            }
            let approved = [list, promoPrice].compactMap { $0 }
            let net = qty > 0 ? price - discount / qty : price
            let tolerance = { (a: Double) in max(p.absoluteTolerance, p.relativeTolerance * a) }
            if net < cost - 0.005 && approved.allSatisfy({ $0 >= net + tolerance($0) }) && !approved.isEmpty {
                let amount = (cost - net) * qty
                let best = approved.min()!
                findings.append(
                    AnomalyFinding(
                        kind: .priceBelowCost, severity: c.severity(amount), score: (cost - net) / max(cost, 0.01), amountAtRisk: amount,
                        transactionId: txn, locationKey: location, itemKey: item, channel: channel, category: category,
                        cashierId: cashier, customerId: customer, day: day,
                        explanation:
                            "\(sku) sold at \(locationName) (\(channel)) on \(day) for \(money(net)) a unit net, below its unit cost \(money(cost)); "
                            + "the approved price that day was \(money(best)) and no promotion or clearance price allows it. "
                            + "Loss below cost: \(number(qty)) × \(money(cost - net)) = \(money(amount)).",
                        fingerprint: AnomalyFinding.fingerprint(.priceBelowCost, key)))
                continue
            }
            guard let nearest = approved.min(by: { abs($0 - price) < abs($1 - price) }), abs(price - nearest) > tolerance(nearest) else { continue }
            let amount = abs(nearest - price) * qty
            let direction = price < nearest ? "below" : "above"
            findings.append(
                AnomalyFinding(
                    kind: .priceOverride, severity: c.severity(amount), score: abs(nearest - price) / max(nearest, 0.01), amountAtRisk: amount,
                    transactionId: txn, locationKey: location, itemKey: item, channel: channel, category: category,
                    cashierId: cashier, customerId: customer, day: day,
                    explanation:
                        "\(sku) charged \(money(price)) at \(locationName) (\(channel)) on \(day)\(cashier.map { " by cashier \($0)" } ?? ""), "
                        + "\(percent(abs(nearest - price) / max(nearest, 0.01))) \(direction) the approved \(promoPrice == nearest ? "promotion" : "list") price \(money(nearest)); "
                        + "difference \(number(qty)) × \(money(abs(nearest - price))) = \(money(amount)).",
                    fingerprint: AnomalyFinding.fingerprint(.priceOverride, key)))
        }
        for (r, promoId) in outsidePromos { try promoOutside(c, r, promoId, into: &findings) }
    }

    /// Explains why the named promotion does not cover the line.
    static func promoOutside(_ c: DetectionContext, _ r: Row, _ promoId: String, into findings: inout [AnomalyFinding]) throws {
        let txn: String = r[0], line: Int = r[1], day = Day(rawValue: Int32(r[2] as Int64))
        let channel: String = r[3], location: Int64 = r[4], item: Int64 = r[5]
        let qty: Double = r[6], price: Double = r[7], cashier: String? = r[10], customer: String? = r[11]
        let list: Double? = r[13]
        let sku = c.itemSku[Int(item)], locationName = c.locationId[Int(location)]
        let rows = try Row.fetchAll(
            c.db,
            sql: """
                SELECT start_day, end_day, channel, location_key FROM promotions WHERE promo_id = ? AND item_key = ? ORDER BY start_day
                """, arguments: [promoId, item])
        let reason: String
        if rows.isEmpty {
            let known = try Bool.fetchOne(c.db, sql: "SELECT EXISTS(SELECT 1 FROM promotions WHERE promo_id = ?)", arguments: [promoId]) ?? false
            reason = known ? "\(promoId) does not include \(sku)" : "\(promoId) is not a known promotion"
        } else if let w = rows.first(where: { Day(rawValue: Int32($0[0] as Int64)) <= day && day <= Day(rawValue: Int32($0[1] as Int64)) }) {
            let ch: String? = w[2], loc: Int64? = w[3]
            reason =
                "\(promoId) covers \(ch ?? "every channel") at \(loc.map { c.locationId[Int($0)] } ?? "every location"), not \(channel) at \(locationName)"
        } else {
            let w = rows[0]
            reason = "\(promoId) ran from \(Day(rawValue: Int32(w[0] as Int64))) to \(Day(rawValue: Int32(w[1] as Int64))), not on \(day)"
        }
        let gap = max(0, (list ?? price) - price)
        let amount = gap * qty
        findings.append(
            AnomalyFinding(
                kind: .promoOutsideWindow, severity: c.severity(amount), score: list.map { gap / max($0, 0.01) } ?? 0, amountAtRisk: amount,
                transactionId: txn, locationKey: location, itemKey: item, channel: channel, category: c.itemCategory[Int(item)],
                cashierId: cashier, customerId: customer, day: day,
                explanation: "\(sku) sold at \(locationName) (\(channel)) on \(day) under promotion \(promoId) for \(money(price)), but \(reason). "
                    + (list.map { "List price \(money($0)): discount given \(number(qty)) × \(money(gap)) = \(money(amount))." }
                        ?? "No list price on file for the day."),
                fingerprint: AnomalyFinding.fingerprint(.promoOutsideWindow, [txn, String(line)])))
    }
}
