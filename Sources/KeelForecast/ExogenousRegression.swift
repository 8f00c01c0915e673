import KeelNumerics

/// `DynamicRegression` on one series' exogenous columns, usable wherever a plain `Forecaster` is.
///
/// It holds the series' regressor rows over the whole history and the forecast horizon and, when
/// fitted on the first n values (a backtest window, or everything), uses rows 0..<n as the history
/// and the rows after n as the future — so rolling-origin selection needs no special case, and
/// each window is forecast with the regressor values that were actually known for it.
public struct ExogenousRegression: Forecaster {
    public static let catalogName = "DynamicRegressionX"
    public var name: String { Self.catalogName }
    let columns: [String]
    /// Row-major: `rows.count / columns.count` periods of `columns.count` values.
    let rows: [Double]
    let model: DynamicRegression

    public init(columns: [String], rows: [Double], seasonLengths: [Int]) {
        self.columns = columns
        self.rows = rows
        self.model = DynamicRegression(seasonLengths: seasonLengths, name: Self.catalogName)
    }

    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        let k = columns.count, n = y.count
        let periods = k > 0 ? rows.count / k : 0
        guard k > 0, periods > n else { throw .invalidInput("\(name): no future regressor rows after \(n) periods") }
        var history = Matrix(rows: n, columns: k), future = Matrix(rows: periods - n, columns: k)
        for t in 0..<periods {
            for c in 0..<k {
                if t < n { history[t, c] = rows[t * k + c] } else { future[t - n, c] = rows[t * k + c] }
            }
        }
        guard future.storage.allSatisfy({ $0.isFinite }) else { throw .invalidInput("\(name): unknown regressor values in the horizon") }
        return try model.fit(y, features: RegressionFeatures(names: columns, history: history, future: future), seasonLength: seasonLength)
    }
}
