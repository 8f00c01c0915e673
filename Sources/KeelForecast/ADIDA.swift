/// Aggregate–disaggregate intermittent demand approach (statsforecast `ADIDA`): sum the
/// observed values in consecutive chunks of k = round(mean interval between non-zero values)
/// periods (ties to even, as Python's `round`; the n mod k oldest values dropped), forecast the
/// chunk sums by SES with the golden-section α on [0.1, 0.3], and divide by k.
///
/// Fitted values (Keel's, O(n)): each period of chunk c gets the chunk-level one-step fit of c
/// divided by k (NaN for the first chunk and the dropped values) — statsforecast refits on every
/// prefix, which is O(n²). An all-zero series forecasts 0. Quantiles: `IntermittentFit`.
/// Needs one observed value.
public struct ADIDA: Forecaster {
    public let name: String
    public init(alias: String = "ADIDA") { name = alias }

    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        let compact = CompactSeries(y)
        guard !compact.values.isEmpty else { throw .tooShort(model: name, needed: 1, got: 0) }
        if compact.allZero { return IntermittentFit.zero(name: name, compact: compact, observed: y) }
        let k = max(1, Int(compact.meanInterval.rounded(.toNearestOrEven)))
        var fitted = [Double](repeating: .nan, count: compact.values.count)
        let mean = AggregatedSmoothing.forecast(compact.values, level: k, fitted: &fitted)
        return IntermittentFit(name: name, fitted: compact.expand(fitted), point: mean, observed: y)
    }
}

/// Intermittent multiple aggregation prediction algorithm (statsforecast `IMAPA`): the ADIDA
/// forecast (chunk sums, golden-section SES, divided by the level) at every aggregation level
/// k = 1 … round(mean interval), averaged. Fitted values: the average of the levels' ADIDA-style
/// fitted values (O(n·K)). An all-zero series forecasts 0. Needs one observed value.
public struct IMAPA: Forecaster {
    public let name: String
    public init(alias: String = "IMAPA") { name = alias }

    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        let compact = CompactSeries(y)
        let n = compact.values.count
        guard n > 0 else { throw .tooShort(model: name, needed: 1, got: 0) }
        if compact.allZero { return IntermittentFit.zero(name: name, compact: compact, observed: y) }
        let maxLevel = max(1, Int(compact.meanInterval.rounded(.toNearestOrEven)))
        var sum = 0.0, levels = 0
        var fittedSum = [Double](repeating: 0, count: n)
        var fittedCount = [Int](repeating: 0, count: n)
        var fitted = [Double](repeating: .nan, count: n)
        for k in 1...maxLevel where n >= k {
            for i in 0..<n { fitted[i] = .nan }
            sum += AggregatedSmoothing.forecast(compact.values, level: k, fitted: &fitted)
            levels += 1
            for i in 0..<n where fitted[i].isFinite { fittedSum[i] += fitted[i]; fittedCount[i] += 1 }
        }
        for i in 0..<n { fitted[i] = fittedCount[i] > 0 ? fittedSum[i] / Double(fittedCount[i]) : .nan }
        return IntermittentFit(name: name, fitted: compact.expand(fitted), point: sum / Double(levels), observed: y)
    }
}

enum AggregatedSmoothing {
    /// statsforecast `chunk_forecast(x, k) / k`, writing the per-period fitted values (chunk fit / k)
    /// into `fitted` (n entries, left NaN where undefined).
    static func forecast(_ x: [Double], level k: Int, fitted: inout [Double]) -> Double {
        let n = x.count, lost = n % k, chunks = (n - lost) / k
        var scratch = [Double](repeating: 0, count: max(1, chunks))
        var chunkFitted = [Double](repeating: .nan, count: max(1, chunks))
        let f = x.withUnsafeBufferPointer { xb in
            scratch.withUnsafeMutableBufferPointer { sb in
                chunkFitted.withUnsafeMutableBufferPointer { cb in
                    IntermittentSmoothing.chunkForecast(xb, level: k, scratch: sb, fitted: cb)
                }
            }
        }
        if chunks >= 1 {
            for c in 0..<chunks where chunkFitted[c].isFinite {
                for j in 0..<k { fitted[lost + c * k + j] = chunkFitted[c] / Double(k) }
            }
        }
        return f / Double(k)
    }
}

extension IntermittentFit {
    /// All-zero history: forecast 0, fitted 0 (NaN at the first observation), as statsforecast.
    static func zero(name: String, compact: CompactSeries, observed y: [Double]) -> IntermittentFit {
        var fitted = [Double](repeating: 0, count: compact.values.count)
        if !fitted.isEmpty { fitted[0] = .nan }
        return IntermittentFit(name: name, fitted: compact.expand(fitted), point: 0, observed: y)
    }
}
