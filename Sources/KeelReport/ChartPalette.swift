/// The chart colours: a colour-blind-safe qualitative palette (Okabe–Ito, 2008) and the greys
/// used for axes and grid lines.
public enum ChartPalette {
    public static let colors = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
    public static let axis = "#5b6673"
    public static let grid = "#e3e8ee"
    public static let text = "#1d2733"

    /// The colour of series `i` (cycling).
    public static func color(_ i: Int) -> String { colors[((i % colors.count) + colors.count) % colors.count] }
}
