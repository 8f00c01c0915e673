import KeelCore

/// Many series in one contiguous buffer plus offsets (the layout of statsforecast's
/// `GroupedArray`): series `s` is `values[offsets[s] ..< offsets[s + 1]]`, its first period is
/// `starts[s]` (a `Day` for daily data, a month index `year × 12 + month − 1` for monthly data, a
/// plain integer index otherwise). NaN is a missing value (a stockout day, a gap).
public struct SeriesPanel: Sendable {
    public enum Frequency: String, Sendable, CaseIterable {
        case hourly = "H", daily = "D", weekly = "W", monthly = "M", quarterly = "Q", index = "I"

        /// The default season lengths: daily data has a weekly and a yearly season, hourly a daily
        /// and a weekly one.
        public var defaultSeasons: [Int] {
            switch self {
            case .hourly: return [24, 168]
            case .daily: return [7, 365]
            case .weekly: return [52]
            case .monthly: return [12]
            case .quarterly: return [4]
            case .index: return [1]
            }
        }
    }

    public var ids: [String] = []
    public var starts: [Int] = []
    public var offsets: [Int] = [0]
    public var values: [Double] = []
    public var frequency: Frequency
    /// Exogenous columns (file mode): `exogenous[offsets[s] * k ..< offsets[s + 1] * k]` holds
    /// series s's rows, k = `exogenousNames.count` values per period (NaN where unknown).
    public var exogenousNames: [String] = []
    public var exogenous: [Double] = []
    /// Future values of the exogenous columns: `futureHorizon` rows of k values per series.
    public var future: [Double] = []
    public var futureHorizon = 0
    /// Multiplicative driver effects (database mode, `DriverEffects`): per series nil, or one
    /// multiplier per day over the last `count − horizon` history periods and the horizon after
    /// them. Empty: none for any series.
    public var effects: [[Double]?] = []

    public init(frequency: Frequency) { self.frequency = frequency }

    public var count: Int { ids.count }
    public func range(_ s: Int) -> Range<Int> { offsets[s]..<offsets[s + 1] }
    public func series(_ s: Int) -> ArraySlice<Double> { values[range(s)] }

    public mutating func append(id: String, start: Int, values v: [Double], exogenous x: [Double] = []) {
        ids.append(id)
        starts.append(start)
        values.append(contentsOf: v)
        offsets.append(values.count)
        exogenous.append(contentsOf: x)
    }

    /// Series s's exogenous rows over its history and then its future, row-major (k per period).
    public func exogenousRows(_ s: Int) -> [Double] {
        let k = exogenousNames.count
        guard k > 0 else { return [] }
        let history = exogenous[(offsets[s] * k)..<(offsets[s + 1] * k)]
        let f = futureHorizon * k
        return Array(history) + (f > 0 ? Array(future[(s * f)..<((s + 1) * f)]) : [])
    }

    /// The period `k` steps after `start`, written as `ds` text (dates for daily/weekly/monthly/
    /// quarterly data, integers otherwise).
    public func label(start: Int, step k: Int) -> String {
        switch frequency {
        case .daily: return Day(rawValue: Int32(start + k)).description
        case .weekly: return Day(rawValue: Int32(start + 7 * k)).description
        case .monthly, .quarterly:
            let m = start + k * (frequency == .quarterly ? 3 : 1)
            return Day(year: m / 12, month: m % 12 + 1, day: 1)!.description
        case .hourly, .index: return String(start + k)
        }
    }
}
