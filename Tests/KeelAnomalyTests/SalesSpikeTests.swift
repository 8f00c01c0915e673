import Foundation
import KeelTestSupport
import Testing

/// A hand-made spike: one basket of 5 units among one-unit baskets (fires), one of 3 (does not).
@Suite struct SalesSpikeTests {
    @Test func basketSpikeFiresNearMissDoesNot() throws {
        let fixture = AnomalyFixture("anomaly-spike")
        // 67 one-unit lines a day for 30 days (2,010 lines), plus the two baskets.
        var sales = AnomalyFixture.salesHeader
        for d in 1...30 {
            for i in 1...67 { sales += "T\(d)-\(i),1,2025-01-\(d < 10 ? "0" : "")\(d)T10:00:00Z,store,S1,A,1,10.00,,,,cash,,K1\n" }
        }
        sales += "T31,1,2025-01-15T12:00:00Z,store,S1,A,5,10.00,,,,cash,,K1\nT32,1,2025-01-20T12:00:00Z,store,S1,A,3,10.00,,,,cash,,K1\n"
        fixture.write("sales.csv", sales)
        let rows = try fixture.found(try fixture.detect(), "sales_spike")
        // 2,010 of 2,012 lines are 1 unit (99.9%), so the 99.9% line quantity is 1 and the threshold
        // max(4, 1.25 × 1) = 4: T31 (5 units) fires, T32 (3 units) does not.
        #expect(rows.count == 1)
        #expect(rows.first?.date == "2025-01-15")
        #expect(rows.first?.transaction == "T31")
        // 72 units that day; the mean day is (2,010 + 5 + 3)/30 = 67.2667; (72 − 67.2667) × 10.00 = 47.33.
        #expect(abs((rows.first?.amount ?? 0) - 47.33) < 0.01)
    }
}
