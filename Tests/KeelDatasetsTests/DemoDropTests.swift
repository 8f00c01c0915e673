import Foundation
import KeelCore
import Testing

/// The committed demo's `sales_drop` truth rows, checked on its CSV files alone (independently of
/// `SalesDropRule`'s negative-binomial arithmetic): each gap starts the day after the pair sold in
/// its store, lasts at least `SalesDropRule.minimumDays` trading days of the store with no sale of
/// the pair, and is far from chance by the plainest estimate — the share p0 of the store's trading
/// days without a sale of the pair in the 182 days before, raised to the run's length, is below
/// 1e-10 (the rule asks 1e-12 of a cautious model; on the regenerated demo the largest p0^L is
/// 4.2e-14, STR006 × SKU00394 from 2024-08-26).
@Suite struct DemoDropTests {
    static let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Datasets/demo").path

    @Test func demoDropsAreLongGapsAfterASale() throws {
        let truth = try CSVTable(path: Self.demo + "/anomalies_truth.csv")
        let drops = truth.rows.filter { $0[truth.index("kind")] == "sales_drop" }
        #expect(drops.count >= 10)
        let pairs = Set(drops.map { $0[truth.index("location_id")] + "|" + $0[truth.index("sku")] })
        let sales = try CSVTable(path: Self.demo + "/sales.csv")
        let (ts, ch, loc, sku, qty) = (sales.index("timestamp"), sales.index("channel"), sales.index("location_id"), sales.index("sku"), sales.index("qty"))
        var units: [String: [String: Int]] = [:]  // pair → day → units
        var trading: [String: Set<String>] = [:]  // store → days it sold anything
        for r in sales.rows where r[ch] == "store" {
            let day = String(r[ts].prefix(10))
            trading[r[loc], default: []].insert(day)
            let pair = r[loc] + "|" + r[sku]
            if pairs.contains(pair) { units[pair, default: [:]][day, default: 0] += Int(r[qty])! }
        }
        for row in drops {
            let store = row[truth.index("location_id")], pair = store + "|" + row[truth.index("sku")]
            let start = Day(row[truth.index("date")])!
            let sold = units[pair] ?? [:], open = trading[store] ?? []
            #expect((sold[start.adding(-1).description] ?? 0) > 0, "\(pair) \(start): no sale the day before")
            var length = 0, d = start
            while (sold[d.description] ?? 0) == 0 && d < start.adding(400) {
                if open.contains(d.description) { length += 1 }
                d = d.adding(1)
            }
            #expect(length >= 21, "\(pair) \(start): \(length) trading days")
            let before = (1...182).map { start.adding(-$0).description }.filter { open.contains($0) }
            let p0 = Double(before.filter { (sold[$0] ?? 0) == 0 }.count) / Double(before.count)
            #expect(pow(p0, Double(length)) < 1e-10, "\(pair) \(start): p0 \(p0), \(length) days")
        }
    }
}
