import GRDB
import KeelCore
import KeelStore

/// `return_rate_outlier`: a cashier, store or customer whose return rate is extreme against its
/// peers, judged with beta-binomial empirical Bayes rather than raw ratios.
///
/// For each peer group (customers; cashiers, chain-wide; stores) an entity has `n` trials and `k`
/// returns: customers — lines bought and lines returned against a sale (returns with no sale
/// behind them are `refund_without_sale`'s); cashiers — store lines sold plus returns
/// processed, and returns processed; stores — store lines sold plus returns taken, and returns taken.
/// A Beta(α, β) prior is fitted to the group by the method of moments (between-entity variance
/// after removing the binomial noise); each entity's rate is shrunk to the posterior mean
/// `(k + α) / (n + α + β)`, so a customer with 2 returns out of 2 purchases is not an outlier while
/// one with 40 out of 45 is. Flagged when the shrunk rate is at least `rateMultiple` × the group
/// mean and `zThreshold` posterior standard deviations above it. Money at risk: the entity's
/// refunds beyond the group's rate, `refunds × (1 − mean / shrunk rate)`.
enum ReturnRateDetector: AnomalyDetector {
    static let kinds: [AnomalyKind] = [.returnRateOutlier]
    static let inputs: DetectionInputs = [.sales]

    struct Entity { var id: String; var location: Int64?; var n: Double; var k: Double; var refunds: Double }

    static func detect(_ c: DetectionContext, into findings: inout [AnomalyFinding]) throws {
        // The sales side of every group from the shared sales columns, in one pass.
        let sales = c.sales
        var customerLines = [Double](repeating: 0, count: sales.customerIds.count)
        var cashierLines = [Double](repeating: 0, count: sales.cashierIds.count)
        var cashierLocation = [Int32](repeating: .max, count: sales.cashierIds.count)
        var storeLines = [Double](repeating: 0, count: c.locationId.count)
        var isStore = [Bool](repeating: false, count: c.locationId.count)
        for k in try Int.fetchAll(c.db, sql: "SELECT location_key FROM locations WHERE type = 'store'") where k < isStore.count { isStore[k] = true }
        let storeChannel = UInt8(Channel.store.code)
        for l in 0..<sales.count where sales.day[l] <= c.asOfDay {
            let cu = sales.customer[l], ca = sales.cashier[l], loc = sales.location[l]
            if cu >= 0 { customerLines[Int(cu)] += 1 }
            if ca >= 0 { cashierLines[Int(ca)] += 1; cashierLocation[Int(ca)] = min(cashierLocation[Int(ca)], loc) }
            if sales.channel[l] == storeChannel && Int(loc) < isStore.count && isStore[Int(loc)] { storeLines[Int(loc)] += 1 }
        }
        // In the order an SQL GROUP BY on the id gives (byte order of the text).
        func sorted(_ ids: [String], _ n: [Double], _ location: (Int) -> Int64?) -> [Entity] {
            ids.indices.filter { n[$0] > 0 }.sorted { ids[$0].utf8.lexicographicallyPrecedes(ids[$1].utf8) }
                .map { Entity(id: ids[$0], location: location($0), n: n[$0], k: 0, refunds: 0) }
        }
        let customers = try entities(
            c, sales: sorted(sales.customerIds, customerLines) { _ in nil },
            returns: """
                SELECT customer_id, NULL, COUNT(*), SUM(refund_amount) FROM returns
                WHERE customer_id IS NOT NULL AND original_transaction_id IS NOT NULL AND day <= ?1 GROUP BY customer_id
                """, addReturnsToTrials: false)
        try judge(c, customers, group: "customer", into: &findings)
        let cashiers = try entities(
            c, sales: sorted(sales.cashierIds, cashierLines) { Int64(cashierLocation[$0]) },
            returns: """
                SELECT cashier_id, MIN(location_key), COUNT(*), SUM(refund_amount) FROM returns WHERE cashier_id IS NOT NULL AND day <= ?1 GROUP BY cashier_id
                """, addReturnsToTrials: true)
        try judge(c, cashiers, group: "cashier", into: &findings)
        let storeEntities = storeLines.indices.filter { storeLines[$0] > 0 }.map {
            Entity(id: String($0), location: Int64($0), n: storeLines[$0], k: 0, refunds: 0)
        }
        let stores = try entities(
            c, sales: storeEntities,
            returns: """
                SELECT CAST(r.location_key AS TEXT), r.location_key, COUNT(*), SUM(r.refund_amount) FROM returns r JOIN locations l ON l.location_key = r.location_key
                WHERE l.type = 'store' AND r.day <= ?1 GROUP BY r.location_key
                """, addReturnsToTrials: true)
        try judge(c, stores, group: "store", into: &findings)
    }

    /// The sales side (`sales`, in id order) joined with the returns side of one peer group.
    static func entities(_ c: DetectionContext, sales: [Entity], returns: String, addReturnsToTrials: Bool) throws -> [Entity] {
        var index: [String: Int] = [:]
        var out = sales
        for (i, e) in out.enumerated() { index[e.id] = i }
        let t = try Row.fetchCursor(c.db, sql: returns, arguments: [c.day])
        while let r = try t.next() {
            let key: String = r[0]
            if index[key] == nil { index[key] = out.count; out.append(Entity(id: key, location: r[1], n: 0, k: 0, refunds: 0)) }
            let i = index[key]!
            out[i].k = r[2]; out[i].refunds = r[3]
            if out[i].location == nil { out[i].location = r[1] }
        }
        for i in out.indices {
            if addReturnsToTrials { out[i].n += out[i].k } else { out[i].n = max(out[i].n, out[i].k) }
        }
        return out
    }

    /// Method-of-moments Beta prior over the entities with enough trials: (mean, α + β).
    static func prior(_ es: [Entity], minimumTrials: Double) -> (mean: Double, strength: Double)? {
        let used = es.filter { $0.n >= minimumTrials }
        guard used.count >= 3 else { return nil }
        let n = used.reduce(0) { $0 + $1.n }, k = used.reduce(0) { $0 + $1.k }
        let m = k / n
        guard m > 0, m < 1 else { return nil }
        var s2 = 0.0, invN = 0.0
        for e in used { s2 += e.n * (e.k / e.n - m) * (e.k / e.n - m); invN += 1 / e.n }
        s2 /= n
        invN /= Double(used.count)
        let between = s2 - m * (1 - m) * invN
        let strength = between > 0 ? min(1e6, max(1, m * (1 - m) / between - 1)) : 1e6
        return (m, strength)
    }

    static func judge(_ c: DetectionContext, _ es: [Entity], group: String, into findings: inout [AnomalyFinding]) throws {
        let cfg = c.configuration.returnRates
        guard let (m, strength) = prior(es, minimumTrials: Double(cfg.minimumTrials)) else { return }
        let alpha = m * strength, beta = (1 - m) * strength
        for e in es where e.n >= Double(cfg.minimumTrials) {
            let post = (e.k + alpha) / (e.n + alpha + beta)
            let sd = (post * (1 - post) / (e.n + alpha + beta + 1)).squareRoot()
            let z = sd > 0 ? (post - m) / sd : 0
            guard post >= cfg.rateMultiple * m, z >= cfg.zThreshold else { continue }
            let amount = e.refunds * (1 - m / post)
            var cashier: String? = nil, customer: String? = nil, location: Int64? = e.location, name = e.id
            switch group {
            case "customer": customer = e.id; location = nil
            case "cashier": cashier = e.id
            default: name = c.locationId[Int(e.id) ?? 0]
            }
            findings.append(
                AnomalyFinding(
                    kind: .returnRateOutlier, severity: c.severity(amount), score: z, amountAtRisk: amount,
                    locationKey: location, cashierId: cashier, customerId: customer,
                    explanation:
                        "\(group.capitalized) \(name): \(number(e.k)) returns in \(number(e.n)) \(group == "customer" ? "purchased lines" : "transactions") "
                        + "(raw \(percent(e.k / e.n)), shrunk \(percent(post))) against the \(group)s' \(percent(m)); "
                        + "\(money(z)) standard deviations above peers. Refunds beyond the peer rate: \(money(amount)).",
                    fingerprint: AnomalyFinding.fingerprint(.returnRateOutlier, [group, name])))
        }
    }
}
