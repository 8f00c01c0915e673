/// The cheap seasonality test automatic selection runs before it fits seasonal structures.
///
/// A series "shows" seasonality at lag m when it passes the Theta models' test
/// (`SeasonalDecomposition.isSeasonal`: |r_m| / √((1 + 2Σₖ₌₁^{m−1} rₖ²)/n) > Φ⁻¹(0.95), the 90 %
/// two-sided ACF test at lag m with Bartlett's standard error) on the series with its missing
/// values interpolated. A season length the test cannot judge (m < 4, or fewer than 2m values)
/// passes: the screen only removes what it can rule out. O(n·m).
///
/// Used by `AutoETS.screensSeason` (no seasonal ETS structures for a series without seasonality)
/// and by `AutoForecaster` for `SeasonalOnlyCandidate`s (MSTL). On a series with no seasonality the
/// test still passes about one time in ten, and those series keep every candidate.
public enum SeasonalityScreen {
    public static func shows(_ y: [Double], seasonLength m: Int) -> Bool {
        guard m >= 4, y.count >= 2 * m else { return true }
        guard y.contains(where: \.isFinite) else { return true }
        let filled = y.contains(where: \.isNaN) ? SeasonalDecomposition.interpolated(y) : y
        return SeasonalDecomposition.isSeasonal(filled, m: m)
    }
}
