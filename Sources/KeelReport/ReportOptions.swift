/// Options of one report.
public struct ReportOptions: Sendable {
    /// The forecast run to show (default: the latest successful forecast run).
    public var forecastRunId: Int64?
    /// How many SKUs the top-SKU charts show.
    public var topSKUs: Int = 6
    /// Days of history drawn before the forecast.
    public var historyDays: Int = 56
    /// At most this many groups per hierarchy level (largest by forecast volume).
    public var maxGroups: Int = 9
    public init(forecastRunId: Int64? = nil) { self.forecastRunId = forecastRunId }
}
