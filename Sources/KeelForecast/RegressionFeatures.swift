import Foundation
import KeelNumerics

/// Exogenous regressors for `DynamicRegression`: named columns over the history (`n × k`,
/// column-major, row t = day t of `y`) and over the forecast horizon (`h × k`, same columns in
/// the same order; may have zero rows when only in-sample use is intended).
///
/// Columns enter the design as they are (no standardisation): keep them O(1) — log prices,
/// 0/1 flags and dummies — because the ridge penalty acts on the raw coefficients. A NaN in a
/// history row removes that row from the regression (like a missing `y`); the future must be
/// finite.
public struct RegressionFeatures: Sendable, Equatable {
    public var names: [String]
    public var history: Matrix
    public var future: Matrix

    public init(names: [String], history: Matrix, future: Matrix? = nil) throws(ForecastError) {
        guard history.columns == names.count else {
            throw .invalidInput("RegressionFeatures: \(names.count) names for \(history.columns) history columns")
        }
        let f = future ?? Matrix(rows: 0, columns: names.count)
        guard f.columns == names.count else {
            throw .invalidInput("RegressionFeatures: \(names.count) names for \(f.columns) future columns")
        }
        guard f.storage.allSatisfy({ $0.isFinite }) else { throw .invalidInput("RegressionFeatures: non-finite future value") }
        self.names = names
        self.history = history
        self.future = f
    }

    /// No exogenous columns over `n` days.
    public static func none(count n: Int) -> RegressionFeatures {
        try! RegressionFeatures(names: [], history: Matrix(rows: n, columns: 0))
    }

    /// The retail set: `log_price` = log(price) (prices must be > 0; NaN marks an unknown price),
    /// `promotion` (0/1 or a promotion intensity), and one 0/1 column per event name (sorted by
    /// name). Each `future…` array must have the same length (the horizon) when given.
    public static func retail(
        price: [Double]? = nil, promotion: [Double]? = nil, events: [String: [Double]] = [:],
        futurePrice: [Double]? = nil, futurePromotion: [Double]? = nil, futureEvents: [String: [Double]] = [:]
    ) throws(ForecastError) -> RegressionFeatures {
        var names: [String] = [], past: [[Double]] = [], next: [[Double]] = []
        func logPrice(_ p: [Double]) throws(ForecastError) -> [Double] {
            var out = [Double](repeating: .nan, count: p.count)
            for (i, v) in p.enumerated() where !v.isNaN {
                guard v > 0, v.isFinite else { throw .invalidInput("RegressionFeatures: price \(v) at \(i) is not positive") }
                out[i] = log(v)
            }
            return out
        }
        if let price {
            names.append("log_price"); past.append(try logPrice(price)); next.append(try logPrice(futurePrice ?? []))
        }
        if let promotion {
            names.append("promotion"); past.append(promotion); next.append(futurePromotion ?? [])
        }
        for key in events.keys.sorted() {
            names.append(key); past.append(events[key]!); next.append(futureEvents[key] ?? [])
        }
        let n = past.first?.count ?? 0
        let h = next.map(\.count).max() ?? 0
        guard past.allSatisfy({ $0.count == n }) else { throw .invalidInput("RegressionFeatures: history columns differ in length") }
        guard next.allSatisfy({ $0.count == h }) else {
            throw .invalidInput("RegressionFeatures: future columns differ in length (missing future values?)")
        }
        return try RegressionFeatures(
            names: names, history: Matrix(rows: n, columns: names.count, columnMajor: past.flatMap { $0 }),
            future: Matrix(rows: h, columns: names.count, columnMajor: next.flatMap { $0 }))
    }
}
