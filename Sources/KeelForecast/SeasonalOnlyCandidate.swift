/// A candidate whose point is its seasonal structure: automatic selection (`AutoForecaster`) leaves
/// it out for a series that passes `SeasonalityScreen` at none of the season lengths it would use.
/// Without seasonality such a model reduces to a trend model that other candidates already cover
/// (MSTL's remainder model is ETS(A,N,N) or ETS(A,Ad,N), AutoETS's non-seasonal structures).
public protocol SeasonalOnlyCandidate: Forecaster {
    /// The season lengths the model would decompose a series of `count` values by, given the
    /// contract's primary `seasonLength`. Empty: nothing to screen, the candidate stays.
    func screenedSeasonLengths(seasonLength: Int, count: Int) -> [Int]
}

extension MSTL: SeasonalOnlyCandidate {
    /// The season lengths `MSTL.decompose` keeps: m ≥ 2 with 2m < n.
    public func screenedSeasonLengths(seasonLength: Int, count: Int) -> [Int] {
        (seasonLengths ?? [seasonLength]).filter { $0 >= 2 && 2 * $0 < count }
    }
}

extension SeasonalOnlyCandidate {
    /// Whether automatic selection should fit this candidate on `y`.
    func passesScreen(_ y: [Double], seasonLength: Int) -> Bool {
        let lengths = screenedSeasonLengths(seasonLength: seasonLength, count: y.count)
        return lengths.isEmpty || lengths.contains { SeasonalityScreen.shows(y, seasonLength: $0) }
    }
}
