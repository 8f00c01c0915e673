import Foundation
import KeelCore
import KeelTestSupport
import Testing

/// A hand-made margin leak: six 14-day periods of 100 units at 10.00 (cost 6.00); one period gives
/// 40% line discounts (fires), another 5% (a near miss).
@Suite struct MarginLeakageTests {
    @Test func discountedPeriodFiresNearMissDoesNot() throws {
        let fixture = AnomalyFixture("anomaly-margin")
        // Periods are day / 14 since 1970-01-01: 2025-01-02 (day 20090) starts period 1435.
        var sales = AnomalyFixture.salesHeader
        for p in 0..<6 {
            let day = Day(rawValue: Int32(20090 + 14 * p + 13))
            for i in 0..<100 {
                let discount = p == 3 ? "4.00" : (p == 5 && i < 50 ? "1.00" : "")
                sales += "T\(p)-\(i),1,\(day)T10:00:00Z,store,S1,A,1,10.00,\(discount),,,cash,,K1\n"
            }
        }
        fixture.write("sales.csv", sales)
        let rows = try fixture.found(try fixture.detect(), "margin_leakage")
        // Period 3 (from day 20090 + 42 = 2025-02-13): realized (600 − 600)/600 = 0 against
        // (1000 − 600)/1000 = 40% at the usual 0% discount: shortfall 0.4 × 600 revenue = 240.
        // Period 5: (950 − 600)/950 = 36.8%, 3.2 points short of 40%: under the 8-point minimum.
        #expect(rows.count == 1)
        #expect(rows.first?.date == "2025-02-13")
        #expect(rows.first?.category == "Toys")
        #expect(rows.first?.channel == "store")
        #expect(abs((rows.first?.amount ?? 0) - 240) < 0.005)
    }
}
