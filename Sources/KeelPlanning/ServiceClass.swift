/// ABC/XYZ classes of (location, item) pairs.
///
/// ABC ranks a location's pairs by forecast revenue (mean daily units × price); the pairs making
/// the first `abcThresholds[0]` of the location's revenue are A, up to `abcThresholds[1]` B, the
/// rest C. XYZ is the coefficient of variation of a week's demand as the forecast sees it,
/// √(7·σ̄²) / (7·μ̄): below `xyzThresholds[0]` X, below `xyzThresholds[1]` Y, else Z (and Z when
/// the mean is 0).
public enum ServiceClass {
    public static func classify(locations: [Int64], dailyMean: [Double], dailyVariance: [Double], price: [Double],
                                configuration c: PlanningConfiguration) -> [String] {
        let n = locations.count
        precondition(dailyMean.count == n && dailyVariance.count == n && price.count == n)
        var abc = [Character](repeating: "C", count: n)
        var byLocation: [Int64: [Int]] = [:]
        for i in 0..<n { byLocation[locations[i], default: []].append(i) }
        for (_, members) in byLocation {
            let revenue = members.map { dailyMean[$0] * price[$0] }
            let total = revenue.reduce(0, +)
            guard total > 0 else { continue }
            let order = members.indices.sorted { revenue[$0] != revenue[$1] ? revenue[$0] > revenue[$1] : members[$0] < members[$1] }
            var cumulative = 0.0
            for k in order {
                // A pair is classed by the share of revenue before it: the pair crossing a threshold keeps the higher class.
                let before = cumulative / total
                abc[members[k]] = before < c.abcThresholds[0] ? "A" : before < c.abcThresholds[1] ? "B" : "C"
                cumulative += revenue[k]
            }
        }
        return (0..<n).map { i in
            let m = 7 * dailyMean[i]
            let cv = m > 0 ? (7 * dailyVariance[i]).squareRoot() / m : .infinity
            let xyz: Character = cv < c.xyzThresholds[0] ? "X" : cv < c.xyzThresholds[1] ? "Y" : "Z"
            return String([abc[i], xyz])
        }
    }
}
