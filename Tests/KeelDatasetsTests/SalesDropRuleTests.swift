import Foundation
import KeelDatasets
import Testing

/// `SalesDropRule` on small cases worked by hand. The reference history alternates 0 and 2 units
/// over 60 ordinary days: mean m = 1, sample variance v = 60/59 = 1.016949, shape
/// k = m² / (v − m) = 59, cautious mean c = 1 − 2·√(v/60) = 0.739622. At an unchanged level a day
/// without a sale has log-chance −k·ln(1 + c/k) = −0.735025, so the gap needs
/// ⌈ln(1e12) / 0.735025⌉ = ⌈37.59⌉ = 38 days.
@Suite struct SalesDropRuleTests {
    static let alternating: [Double] = (0..<60).map { $0 % 2 == 0 ? 0 : 2 }
    static let flat = [Double](repeating: 1, count: 60)

    @Test func lengthFromRealizedNegativeBinomialDemand() {
        #expect(SalesDropRule.length(units: Self.alternating, levels: Self.flat, gapLevels: Self.flat) == 38)
    }

    @Test func aQuieterSeasonLengthensTheGap() {
        // Gap level 0.8 of the baseline: −59·ln(1 + 0.8·0.739622/59) = −0.588750 a day, ⌈46.93⌉ = 47.
        let gap = [Double](repeating: 0.8, count: 60)
        #expect(SalesDropRule.length(units: Self.alternating, levels: Self.flat, gapLevels: gap) == 47)
    }

    @Test func aMuchQuieterSeasonNeedsUpToAQuarter() {
        // Level 0.6: −59·ln(1 + 0.6·0.739622/59) = −0.442113 a day, ⌈62.50⌉ = 63 days (within 90).
        // Level 0.4: −0.295110 a day, ⌈93.63⌉ = 94 days: beyond the 90-day limit, no drop.
        let gap6 = [Double](repeating: 0.6, count: 100), gap4 = [Double](repeating: 0.4, count: 100)
        #expect(SalesDropRule.length(units: Self.alternating, levels: Self.flat, gapLevels: gap6) == 63)
        #expect(SalesDropRule.length(units: Self.alternating, levels: Self.flat, gapLevels: gap4) == nil)
    }

    @Test func aBusierSeasonIsNotCredited() {
        // Twice the baseline's level: capped at the baseline, so the same 38 days.
        let gap = [Double](repeating: 2, count: 60)
        #expect(SalesDropRule.length(units: Self.alternating, levels: Self.flat, gapLevels: gap) == 38)
    }

    @Test func closedDaysDoNotCount() {
        // Closed every 7th day: 38 trading days end on calendar day 38 + 6 closed days = 44.
        let gap = (0..<60).map { $0 % 7 == 6 ? 0.0 : 1.0 }
        #expect(SalesDropRule.length(units: Self.alternating, levels: Self.flat, gapLevels: gap) == 44)
    }

    @Test func aFastSellerStillGetsTheMinimumLength() {
        // 5 units every day: v = 0 ≤ m, Poisson; c = 5 − 2·√(5/60) = 4.422650, ⌈27.63 / 4.42⌉ = 7 < 21.
        let units = [Double](repeating: 5, count: 60)
        #expect(SalesDropRule.length(units: units, levels: Self.flat, gapLevels: Self.flat) == SalesDropRule.minimumDays)
    }

    @Test func slowSellersAndShortHistoriesGetNoDrop() {
        // 10 sales in 60 days: m = 1/6, v = 0.141243 ≤ m (Poisson), c = 1/6 − 2·√((1/6)/60) = 0.061257:
        // ⌈27.63 / 0.0613⌉ = 452 days, beyond the 90-day limit.
        let slow = [Double](repeating: 1, count: 10) + [Double](repeating: 0, count: 50)
        #expect(SalesDropRule.length(units: slow, levels: Self.flat, gapLevels: Self.flat) == nil)
        // 55 ordinary days (< 56), however fast.
        let short = [Double](repeating: 5, count: 55)
        #expect(SalesDropRule.length(units: short, levels: Array(Self.flat.prefix(55)), gapLevels: Self.flat) == nil)
        // The 47-day gap of a quieter season does not fit in 40 days of data.
        let gap = [Double](repeating: 0.8, count: 40)
        #expect(SalesDropRule.length(units: Self.alternating, levels: Self.flat, gapLevels: gap) == nil)
    }
}
