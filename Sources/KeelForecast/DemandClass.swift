/// Syntetos–Boylan–Croston classification of a demand series.
///
/// ADI (average inter-demand interval) = observed periods / periods with demand; a series with
/// ADI ≥ 1.32 is intermittent (the Croston family and temporal aggregation suit it), otherwise
/// smooth. Missing values are not counted.
public enum DemandClass: String, Sendable, Codable, CaseIterable {
    case smooth, intermittent

    public static let adiThreshold = 1.32

    public static func classify(_ y: ArraySlice<Double>) -> DemandClass {
        var observed = 0, demand = 0
        for v in y where v.isFinite {
            observed += 1
            if v != 0 { demand += 1 }
        }
        guard demand > 0 else { return .intermittent }
        return Double(observed) / Double(demand) >= adiThreshold ? .intermittent : .smooth
    }
}
