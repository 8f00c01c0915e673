/// One series' score inside a weighted summary.
public struct SeriesScore: Sendable, Hashable {
    /// The hierarchy row id.
    public var id: String
    public var level: String
    /// The series' weight within its level (levels' weights each sum to 1).
    public var weight: Double
    /// The unweighted metric value (NaN or ∞ when the scale is zero/undefined).
    public var value: Double
    public init(id: String, level: String, weight: Double, value: Double) {
        self.id = id
        self.level = level
        self.weight = weight
        self.value = value
    }
}

/// A weighted score over a hierarchy (WRMSSE, WSPL): the overall value, one value per level, and
/// every series' score.
public struct MetricSummary: Sendable, Hashable {
    public var metric: String
    /// `(1/L) Σ_levels levelValue`.
    public var value: Double
    /// `Σ_{i in level} w_i · score_i` per level, in hierarchy order.
    public var levelValues: [String: Double]
    public var levelOrder: [String]
    public var series: [SeriesScore]
    /// Series left out because their score was not finite (zero or undefined scale); their
    /// weight is dropped, not redistributed.
    public var skipped: Int
}
