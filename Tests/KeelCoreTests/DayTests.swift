import KeelCore
import Testing

@Suite struct DayTests {
    @Test(arguments: [("1970-01-01", 0), ("2000-03-01", 11017), ("2024-02-29", 19782), ("1969-12-31", -1)])
    func knownEpochDays(text: String, raw: Int32) {
        // Reference values: Python `(date(y,m,d) - date(1970,1,1)).days`.
        let d = Day(text)
        #expect(d?.rawValue == raw)
        #expect(d?.description == text)
    }

    @Test(arguments: ["2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-01-01", "2026/01/01", "2026-01-1"])
    func impossibleOrMalformedDatesAreRejected(text: String) {
        #expect(Day(text) == nil)
    }

    @Test func weekdayAndDayOfYear() {
        #expect(Day("2026-11-26")!.isoWeekday == 4)  // a Thursday
        #expect(Day("2024-12-31")!.dayOfYear == 366)
        #expect(Day("2026-03-01")!.adding(-1).description == "2026-02-28")
    }

    @Test func roundTripsEveryDayOfFourCenturies() {
        var d = Day(year: 1900, month: 1, day: 1)!
        let end = Day(year: 2300, month: 1, day: 1)!
        while d < end {
            let c = d.civil
            #expect(Day(year: c.year, month: c.month, day: c.day) == d)
            d = d.adding(1)
        }
    }
}

@Suite struct TimestampTests {
    @Test func offsetsMoveTheInstantButNotTheBusinessDay() {
        let t = Timestamp("2026-03-01T23:30:00-05:00")!
        #expect(t.localDay.description == "2026-03-01")
        #expect(t.epochSeconds == Timestamp("2026-03-02T04:30:00Z")!.epochSeconds)
    }

    @Test(arguments: ["2026-03-01", "2026-03-01T14:05:00Z", "2026-03-01T14:05Z", "2026-03-01 14:05:00", "2026-03-01T14:05:00.123+01:00", "2026-03-01T14:05:00+0130"])
    func acceptedForms(text: String) {
        #expect(Timestamp(text) != nil)
    }

    @Test(arguments: ["2026-03-01T25:00:00Z", "2026-03-01T14:60Z", "2026-03-01T14:05:00X", "2026-02-30T10:00:00Z", "yesterday", "2026-03-01T"])
    func rejectedForms(text: String) {
        #expect(Timestamp(text) == nil)
    }

    @Test func epochSecondsOfAKnownInstant() {
        // date -u -d 2026-03-01T14:05:00Z +%s → 1772373900
        #expect(Timestamp("2026-03-01T14:05:00Z")!.epochSeconds == 1_772_373_900)
    }
}
