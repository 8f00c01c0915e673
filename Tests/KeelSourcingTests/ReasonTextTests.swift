import Foundation
import KeelCore
import KeelSourcing
import KeelTestSupport
import Testing

/// The per-node reasons of the options answer, word for word (they are formatted without
/// Foundation's `String(format:)` since the load work; the text must not change).
@Suite struct ReasonTextTests {
    @Test func fixedDecimalsMatchTheCLibraryFormat() {
        let values: [Double] = [0, -0.0, 0.005, 0.015, 0.125, 0.375, 1.005, 2.675, 9.995, 10, 12.5, 1234.5678, -3.14159, 1e15, 123_456_789.125, 0.4999999]
        for v in values {
            #expect(DecimalText.fixed(v, 2) == String(format: "%.2f", v), "\(v)")
            #expect(DecimalText.fixed(v, 0) == String(format: "%.0f", v), "\(v)")
        }
    }

    /// The integer path against the C library on ties, near-ties, subnormals, powers of two and
    /// random money amounts (seeded), for 0, 1 and 2 decimals.
    @Test func exactRoundingMatchesTheCLibraryEverywhere() {
        var values: [Double] = [
            0.5, 1.5, 2.5, -2.5, 0.05, 0.15, 0.25, 0.35, 0.45, 1.045, 1.055, 8.345, 0.0049999, 0.005000001, 5e-324,
            2.2250738585072014e-308, 0x1p-11, 0x1p-64, 0x1p52, 0x1p53 + 2, 0x1p62, 1.8446744073709552e17, 9.2e18, -9.2e18,
            4.35, 4.345, 0.285, 1.115, 100.125, 99.995, 7.0e-4, -7.0e-4,
        ]
        var rng = SeededRandom(seed: 7)
        for _ in 0..<20_000 {
            let cents = Double(rng.next() % 10_000_000) / 1000  // three decimals: many exact ties at two
            values.append(rng.next() % 2 == 0 ? cents : -cents)
            values.append(Double(bitPattern: rng.next() & 0x43FF_FFFF_FFFF_FFFF))  // arbitrary doubles below 2^64
        }
        for v in values where v.isFinite {
            for d in 0...2 {
                let expected = String(format: "%.\(d)f", v)
                if DecimalText.fixed(v, d) != expected {
                    Issue.record("\(v) with \(d) decimals: \(DecimalText.fixed(v, d)) vs \(expected)")
                    return
                }
            }
        }
    }

    @Test func reasonsOfTheFixtureOrderWordForWord() throws {
        let (dir, db) = try SourcingFixture.database()
        _ = dir
        let service = try SourcingService(database: db, asOf: SourcingFixture.asOf)
        // A + B to Z1 (promise 03-10): DC1 ships both for 8 + 2 = 10, delivery as-of + 2 days.
        // DC2's cheapest single shipment: A = 8 + 0.5×1 kg + 0.5 pick = 9; S1 holds only A: 6 + 1 + 2 = 9.
        let plans = try service.options(SourcingFixture.order("W1", [("A", 1), ("B", 1)]), k: 2)
        let first = Dictionary(uniqueKeysWithValues: plans[0].nodes.map { ($0.locationId, $0.reason) })
        #expect(first["DC1"] == "ships lines 1,2 for 10.00 (shipping 8.00 + handling 2.00), delivery 2026-03-03")
        #expect(first["DC2"] == "more expensive: a shipment from it costs at least 9.00")
        #expect(first["S1"] == "more expensive: a shipment from it costs at least 9.00")
        // The second plan (DC2 alone, 9.5 + 1) explains DC1 as a rejected candidate the same way.
        let second = Dictionary(uniqueKeysWithValues: plans[1].nodes.map { ($0.locationId, $0.reason) })
        #expect(second["DC2"] == "ships lines 1,2 for 10.50 (shipping 9.50 + handling 1.00), delivery 2026-03-05")
        #expect(second["DC1"] == "more expensive: a shipment from it costs at least 7.00")
        // Unsourced: B × 11 exceeds every node's stock.
        let q = try service.options(SourcingFixture.order("W2", [("B", 11)]), k: 1)[0]
        #expect(q.unsourced.map(\.reason) == ["no node has 11 units of B available"])
    }
}
