import GRDB
import KeelCore
import KeelStore

/// `margin_leakage`: a category × channel × location whose gross margin in a period
/// (`periodDays`, aligned on 1970-01-01) falls well below its expected range.
///
/// Per cell and period, from the sales lines: gross sales G = Σ qty × unit_price (the prices
/// charged — list, markdown or promotion), line discounts D, cost C = Σ qty × unit cost.
/// Realized margin m = (G − D − C) / (G − D). The expected margin keeps the period's own product
/// mix and prices and applies the cell's usual discount rate r₀ (the median of D / G over its
/// other periods): m* = (G(1 − r₀) − C) / (G(1 − r₀)). So seasons, markdowns, promotions and mix
/// move the expectation with them, and what is left is margin given away beyond the cell's habit.
/// Fired when m* − m is at least `max(minimumGap, madMultiple × 1.4826 × MAD)` (MAD of the
/// cell's other periods' gaps to their own expectation) on at least `minimumRevenue` revenue.
/// Money at risk: (m* − m) × (G − D). Price overrides and sales below cost are their own kinds.
enum MarginDetector: AnomalyDetector {
    static let kinds: [AnomalyKind] = [.marginLeakage]
    static let inputs: DetectionInputs = [.sales]

    struct Cell: Hashable, Comparable {
        var category: String; var channel: String; var location: Int64
        static func < (a: Cell, b: Cell) -> Bool { (a.category, a.channel, a.location) < (b.category, b.channel, b.location) }
    }
    struct Period { var period: Int64; var gross: Double; var discount: Double; var cost: Double }

    static func detect(_ c: DetectionContext, into findings: inout [AnomalyFinding]) throws {
        let cfg = c.configuration.margin
        let len = Int64(max(1, cfg.periodDays))
        let lastWhole = (c.day + 1) / len - 1
        // One pass over the lines (numbers only), summed per cell and period in memory: far cheaper
        // than an SQL GROUP BY, which sorts every line.
        var categories: [String] = [], categoryOf: [Int] = Array(repeating: 0, count: c.itemCategory.count)
        for (k, name) in c.itemCategory.enumerated() {
            if let j = categories.firstIndex(of: name) { categoryOf[k] = j } else { categoryOf[k] = categories.count; categories.append(name) }
        }
        // Dense sums over (category, channel code, location, period) from the shared sales columns.
        let sales = c.sales
        let lastDay = Int32(clamping: (lastWhole + 1) * len - 1)
        var firstDay = Int32.max
        for d in sales.day where d >= 0 && d < firstDay { firstDay = d }
        let firstPeriod = firstDay == .max ? 0 : Int64(firstDay) / len
        let periods = max(0, Int(lastWhole - firstPeriod) + 1), locations = c.locationId.count, channels = 8
        var cells: [Cell: [Period]] = [:]
        if periods > 0 && !categories.isEmpty {
            let size = categories.count * channels * locations * periods
            var gross = [Double](repeating: 0, count: size), discount = gross, cost = gross
            var present = [Bool](repeating: false, count: size)
            for l in 0..<sales.count {
                let day = sales.day[l]
                guard day >= 0 && day <= lastDay else { continue }
                let item = Int(sales.item[l]), loc = Int(sales.location[l])
                guard item < categoryOf.count, loc < locations else { continue }
                let ch = Int(min(sales.channel[l], 7))
                let i = ((categoryOf[item] * channels + ch) * locations + loc) * periods + Int(Int64(day) / len - firstPeriod)
                let qty = sales.qty[l]
                gross[i] += qty * sales.unitPrice[l]; discount[i] += sales.discount[l]; cost[i] += qty * c.itemCost[item]
                present[i] = true
            }
            for i in 0..<size where present[i] {
                let period = i % periods, loc = (i / periods) % locations
                let ch = (i / periods / locations) % channels, cat = i / periods / locations / channels
                let cell = Cell(
                    category: categories[cat], channel: ch < PriceBook.channels.count ? PriceBook.channels[ch] : "other", location: Int64(loc))
                cells[cell, default: []].append(Period(period: Int64(period) + firstPeriod, gross: gross[i], discount: discount[i], cost: cost[i]))
            }
        }
        for k in cells.keys { cells[k]!.sort { $0.period < $1.period } }
        for (cell, all) in cells.sorted(by: { $0.key < $1.key }) {
            let periods = all.filter { $0.gross - $0.discount >= cfg.minimumRevenue && $0.gross > 0 }
            guard periods.count >= 4 else { continue }
            let rates = periods.map { $0.discount / $0.gross }
            for (j, p) in periods.enumerated() {
                var others = rates
                others.remove(at: j)
                let usual = quantile(others, 0.5)
                func gap(_ q: Period, _ r0: Double) -> (expected: Double, actual: Double) {
                    let net = q.gross - q.discount, base = q.gross * (1 - r0)
                    return ((base - q.cost) / base, (net - q.cost) / net)
                }
                let (expected, actual) = gap(p, usual)
                let shortfall = expected - actual
                guard shortfall >= cfg.minimumGap else { continue }
                var otherGaps: [Double] = []
                for (k, q) in periods.enumerated() where k != j { let g = gap(q, usual); otherGaps.append(g.expected - g.actual) }
                let centre = quantile(otherGaps, 0.5)
                let mad = quantile(otherGaps.map { abs($0 - centre) }, 0.5) * 1.4826
                guard shortfall >= cfg.madMultiple * mad else { continue }
                let revenue = p.gross - p.discount
                let amount = shortfall * revenue
                let from = Day(rawValue: Int32(p.period * len)), to = Day(rawValue: Int32(min(p.period * len + len - 1, c.day)))
                let place = c.locationId[Int(cell.location)]
                findings.append(
                    AnomalyFinding(
                        kind: .marginLeakage, severity: c.severity(amount), score: mad > 0 ? shortfall / mad : shortfall / cfg.minimumGap,
                        amountAtRisk: amount, locationKey: cell.location, channel: cell.channel, category: cell.category, day: from,
                        explanation:
                            "\(cell.category) on \(cell.channel) at \(place), \(from)–\(to): gross margin \(percent(actual)) on \(money(revenue)) revenue; "
                            + "at the prices charged and its usual \(percent(usual)) line discounts it would have been \(percent(expected)), "
                            + "but \(percent(p.discount / p.gross)) was discounted. Shortfall \(percent(shortfall)) × revenue = \(money(amount)).",
                        fingerprint: AnomalyFinding.fingerprint(.marginLeakage, [cell.category, cell.channel, place, from.description])))
            }
        }
    }
}
