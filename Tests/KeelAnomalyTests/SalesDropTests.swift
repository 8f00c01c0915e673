import Foundation
@testable import KeelAnomaly
import KeelCore
import KeelTestSupport
import Testing

/// Hand-made drops at S1 beside its peer S2, over 300 days from 2024-01-01 (S1 trades every day:
/// B sells one a day). Every day's units are one-unit lines, so no basket is a spike.
///
/// Must fire — A: 5 a day (variance 0: Poisson), none for 5 days from day 200. G: 10 on even
/// days, 0 on odd ones (mean 5, variance 25: over-dispersed), none for 12 days from day 200.
/// Must not — A: a 2-day gap (under the 3-day minimum). H: G's pattern with a 9-day run (Poisson
/// would fire; the negative binomial does not). C: 5 a day, none while the stock count shows
/// 0 on hand (days 200–208). D: a slow seller (1 every 3rd day), 10 a day on a promotion
/// (days 150–189), then none for 14 days. E: 1 every 5th day, none for 24 days. F: 5 a day,
/// none for 10 days while its peer stops too (a delisting).
@Suite struct SalesDropTests {
    static let start = Day(rawValue: 19723)  // 2024-01-01

    @Test func dropsFireNearMissesDoNot() throws {
        let fixture = AnomalyFixture(
            "anomaly-drop", skus: ["A", "B", "C", "D", "E", "F", "G", "H"], stores: ["S1", "S2"], pricedFrom: "2024-01-01")
        var sales = AnomalyFixture.salesHeader
        var n = 0
        func sell(_ store: String, _ sku: String, _ d: Int, _ units: Int, price: String = "10.00", promo: String = "") {
            for _ in 0..<units {
                n += 1
                sales += "T\(n),1,\(Self.start.adding(d))T10:00:00Z,store,\(store),\(sku),1,\(price),,\(promo),,cash,,K\(store)\n"
            }
        }
        for d in 0..<300 {
            // S1.
            sell("S1", "A", d, (200..<205).contains(d) || (250..<252).contains(d) ? 0 : 5)
            sell("S1", "B", d, 1)
            sell("S1", "C", d, (200..<210).contains(d) ? 0 : 5)
            if (150..<190).contains(d) {
                sell("S1", "D", d, 10, price: "8.00", promo: "P1")
            } else if !(190..<202).contains(d) && d % 3 == 0 {
                sell("S1", "D", d, 1)
            }
            if !(200..<220).contains(d) && d % 5 == 0 { sell("S1", "E", d, 1) }
            sell("S1", "F", d, (200..<210).contains(d) ? 0 : 5)
            sell("S1", "G", d, (200..<212).contains(d) || d % 2 == 1 ? 0 : 10)
            sell("S1", "H", d, (200..<208).contains(d) || d % 2 == 1 ? 0 : 10)
            // S2, the peer.
            for sku in ["A", "C", "G", "H"] { sell("S2", sku, d, 10) }
            sell("S2", "D", d, 1)
            sell("S2", "E", d, 1)
            sell("S2", "F", d, (200..<210).contains(d) ? 0 : 10)
        }
        fixture.write("sales.csv", sales)
        fixture.write(
            "promotions.csv",
            "promo_id,sku,channel,location_id,start_date,end_date,promo_price,discount_pct\nP1,D,store,S1,\(Self.start.adding(150)),\(Self.start.adding(189)),8.00,\n")
        // C: the count shows nothing on hand on day 200 and 50 on day 209 (restocked).
        fixture.write(
            "inventory.csv",
            "location_id,sku,on_hand,in_transit,reserved,damaged,as_of\nS1,C,0,0,0,0,\(Self.start.adding(200))\nS1,C,50,0,0,0,\(Self.start.adding(209))\n")
        let rows = try fixture.found(try fixture.detect(), "sales_drop")
        #expect(rows.map { "\($0.location ?? "") \($0.sku ?? "") \($0.date ?? "")" } == [
            "S1 A \(Self.start.adding(200))", "S1 G \(Self.start.adding(199))",
        ])
        // A: 182 clean days of 5 before day 200 (variance 0, Poisson); cautious mean
        // 5 − 2√(5/182) = 4.6685; S2 sold 10 a day before and during (change 1);
        // ln P = −4.6685 × 5 = −23.3 ≤ ln 1e-8 = −18.4. Lost: 5 × 5 days × 10.00 = 250.
        // G: its run starts on day 199 (odd: no sale), 13 days; days 17…198 give mean 5, sample
        // variance 25 × 182/181 = 25.138, shape 25 / 20.138 = 1.2414, cautious mean
        // 5 − 2√(25.138/182) = 4.2567; ln P = −1.2414 × 13 × ln(1 + 4.2567/1.2414) = −24.0.
        // Lost: 5 × 13 × 10.00 = 650. (H's 9 days: −1.2414 × 9 × 1.4881 = −16.6: not enough.)
        #expect(rows.map(\.amount) == [250, 650])
    }

    /// The same gap in a store and at an online node. S1 sells 2 a day of X (store) and of Y (web)
    /// on days 0–199, none on days 200–229, 2 a day after; S2 sells one of each every 4th day
    /// throughout. Baseline for both runs (days 18–199): mean 2, variance 0 (Poisson), cautious
    /// mean 2 − 2√(2/182) = 1.790347. X (store): the peers are the other locations — S2 sold 45
    /// units on days 18–199 (0.24725 a day) and 8 on days 200–229 (0.26667), change min(1, 1.0785)
    /// = 1; ln P = −1.790347 × 30 = −53.7 ≤ ln 1e-8: fires, lost 2 × 30 × 10.00 = 600. Y (web):
    /// online orders are one demand routed between nodes, so the comparison is the whole channel,
    /// S1 included — (364 + 45) / 182 = 2.24725 a day before, 8 / 30 = 0.26667 during, change
    /// 0.118663; ln P = −1.790347 × 0.118663 × 30 = −6.37: the channel's demand fell, no drop.
    @Test func onlineNodesAreComparedWithTheWholeChannel() throws {
        let fixture = AnomalyFixture("anomaly-drop-online", skus: ["B", "X", "Y"], stores: ["S1", "S2"], pricedFrom: "2024-01-01")
        var sales = AnomalyFixture.salesHeader
        var n = 0
        func sell(_ channel: String, _ store: String, _ sku: String, _ d: Int, _ units: Int) {
            for _ in 0..<units {
                n += 1
                let cashier = channel == "store" ? "K\(store)" : ""
                sales += "T\(n),1,\(Self.start.adding(d))T10:00:00Z,\(channel),\(store),\(sku),1,10.00,,,,card,,\(cashier)\n"
            }
        }
        for d in 0..<300 {
            sell("store", "S1", "B", d, 1)
            let own = (200..<230).contains(d) ? 0 : 2
            sell("store", "S1", "X", d, own)
            sell("web", "S1", "Y", d, own)
            if d % 4 == 0 {
                sell("store", "S2", "X", d, 1)
                sell("web", "S2", "Y", d, 1)
            }
        }
        fixture.write("sales.csv", sales)
        let rows = try fixture.found(try fixture.detect(), "sales_drop")
        #expect(rows.map { "\($0.location ?? "") \($0.sku ?? "") \($0.date ?? "") \($0.channel ?? "")" } == ["S1 X \(Self.start.adding(200)) store"])
        #expect(rows.map(\.amount) == [600])
    }

    /// The tail probability the detector uses, against closed forms worked by hand.
    @Test func chanceOfNoSaleMatchesTheClosedForms() {
        // Poisson (infinite shape): P(0 on 5 days at mean 2) = e^−10.
        #expect(abs(DemandDetector.logChanceOfNoSale(mean: 2, shape: .infinity, days: 5) + 10) < 1e-12)
        // Negative binomial, mean 1, shape 1 (geometric): P(0 per day) = 1/2, so 10 days: 2^−10.
        #expect(abs(DemandDetector.logChanceOfNoSale(mean: 1, shape: 1, days: 10) - log(pow(0.5, 10))) < 1e-12)
        // Shape 0.8, mean 1.5: (1 + 1.875)^−0.8 per day = 0.4296…; 28 days: 28 × −0.8 × ln 2.875.
        #expect(abs(DemandDetector.logChanceOfNoSale(mean: 1.5, shape: 0.8, days: 28) - (-0.8 * 28 * log(2.875))) < 1e-12)
        #expect(DemandDetector.logChanceOfNoSale(mean: 0, shape: 1, days: 10) == 0)
    }
}
