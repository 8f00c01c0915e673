import KeelCore

/// Scheduled anomaly injections and their ground truth.
///
/// Most kinds are scheduled as tokens `(location, day)`: the first eligible event at that
/// location on or after the day consumes the token, so injections spread over locations and
/// time whatever the demand. Spikes, drops and margin leakage are planned per pair or
/// combination by the simulation.
struct AnomalyPlan {
    /// kind index → location → sorted token days.
    private var tokens: [[[Int]]]
    private var next: [[Int]]
    var truth: [TruthRow] = []
    var counts: [Int]

    init(locations: Int) {
        let kinds = AnomalyKind.allCases.count
        tokens = Array(repeating: Array(repeating: [], count: locations), count: kinds)
        next = Array(repeating: Array(repeating: 0, count: locations), count: kinds)
        counts = Array(repeating: 0, count: kinds)
    }

    static func index(_ k: AnomalyKind) -> Int { AnomalyKind.allCases.firstIndex(of: k)! }

    /// Schedules `n` tokens of `kind` on random days in `days` at random locations of `locations`.
    mutating func schedule(_ kind: AnomalyKind, count n: Int, locations: [Int], days: Range<Int>, rng: inout SeededRandom) {
        guard !locations.isEmpty, !days.isEmpty else { return }
        let k = AnomalyPlan.index(kind)
        for _ in 0..<n {
            let l = locations[rng.int(locations.count)]
            tokens[k][l].append(days.lowerBound + rng.int(days.count))
        }
        for l in locations { tokens[k][l].sort() }
    }

    /// Whether a token of `kind` is pending at `location` on `day` (not consumed).
    @inline(__always)
    func due(_ kind: AnomalyKind, location: Int, day: Int) -> Bool {
        let k = AnomalyPlan.index(kind)
        let i = next[k][location]
        return i < tokens[k][location].count && tokens[k][location][i] <= day
    }

    /// Number of pending tokens due at `location` on `day`.
    func dueCount(_ kind: AnomalyKind, location: Int, day: Int) -> Int {
        let k = AnomalyPlan.index(kind)
        var i = next[k][location], n = 0
        while i < tokens[k][location].count && tokens[k][location][i] <= day { i += 1; n += 1 }
        return n
    }

    /// Consumes one due token; the caller has checked `due`.
    mutating func consume(_ kind: AnomalyKind, location: Int) {
        next[AnomalyPlan.index(kind)][location] += 1
    }

    /// Consumes a due token if there is one.
    mutating func take(_ kind: AnomalyKind, location: Int, day: Int) -> Bool {
        guard due(kind, location: location, day: day) else { return false }
        consume(kind, location: location)
        return true
    }

    mutating func record(_ row: TruthRow) {
        truth.append(row)
        counts[AnomalyPlan.index(row.kind)] += 1
    }

    func write(to path: String) throws -> Int {
        let w = try CSVWriter(path: path, header: Columns.anomaliesTruth)
        for r in truth {
            w.field(r.kind.rawValue); w.field(r.transaction); w.field(r.returnID); w.field(r.settlement)
            w.field(r.location); w.field(r.sku); w.field(r.date); w.field(r.channel?.rawValue)
            w.field(r.category); w.field(r.cashier); w.field(r.customer)
            w.endRow()
        }
        try w.close()
        return w.rowsWritten
    }
}

/// One row of `anomalies_truth.csv`.
struct TruthRow {
    var kind: AnomalyKind
    var transaction: String? = nil
    var returnID: String? = nil
    var settlement: String? = nil
    var location: String? = nil
    var sku: String? = nil
    var date: Day? = nil
    var channel: Channel? = nil
    var category: String? = nil
    var cashier: String? = nil
    var customer: String? = nil
}
