import KeelNumerics

/// `PooledRegression`'s log-link (quasi-Poisson) model fitted on one daily series and its own
/// exogenous columns: `E[yₜ] = ℓ·exp(β_price·log(pₜ/p̄) + β_promo·promoₜ + day of week + yearly
/// Fourier + Σ β_c·xₜ,c)`. Demand responds to price, promotions and events by a factor, not by
/// an added amount, so this form fits retail demand where `DynamicRegression` (additive in y)
/// cannot, and it needs no log of y (zeros are fine).
///
/// Columns are mapped by name (case-insensitive): `price` or `sell_price` is the selling price
/// (its log relative to the series' median price; a non-positive or missing price leaves the
/// day out), `promo`, `promotion` or `on_promotion` the promotion flag or intensity; every other
/// column enters as it is (an event or SNAP flag, any numeric driver). Yearly Fourier terms: 3
/// pairs on two years of history or more, 1 on one year, none below. Like `ExogenousRegression`,
/// it holds the regressor rows over the history and the horizon and, fitted on the first n
/// values, uses the rows after n as the future, so backtest windows need no special case.
public struct ExogenousLogLinkRegression: Forecaster {
    public static let catalogName = "LogLinkRegressionX"
    public var name: String { Self.catalogName }
    let columns: [String]
    /// Row-major: `rows.count / columns.count` periods of `columns.count` values.
    let rows: [Double]
    /// The series' first day (days since 1970-01-01).
    let firstDay: Int
    let priceColumn: Int?
    let promotionColumn: Int?
    let otherColumns: [Int]

    public init(columns: [String], rows: [Double], firstDay: Int) {
        self.columns = columns
        self.rows = rows
        self.firstDay = firstDay
        let lower = columns.map { $0.lowercased() }
        let price = lower.firstIndex { $0 == "price" || $0 == "sell_price" }
        let promotion = lower.firstIndex { $0 == "promo" || $0 == "promotion" || $0 == "on_promotion" }
        priceColumn = price
        promotionColumn = promotion
        otherColumns = columns.indices.filter { $0 != price && $0 != promotion }
    }

    public func fit(_ y: [Double], seasonLength: Int) throws(ForecastError) -> any FittedForecaster {
        let k = columns.count, n = y.count
        let periods = k > 0 ? rows.count / k : 0
        guard k > 0, periods > n else { throw .invalidInput("\(name): no future regressor rows after \(n) periods") }
        for t in n..<periods {
            for c in 0..<k where !rows[t * k + c].isFinite {
                throw .invalidInput("\(name): unknown regressor values in the horizon")
            }
        }
        func column(_ c: Int, _ range: Range<Int>) -> [Double] { range.map { rows[$0 * k + c] } }
        func matrix(_ range: Range<Int>) -> Matrix {
            var m = Matrix(rows: range.count, columns: otherColumns.count)
            for (i, t) in range.enumerated() {
                for (j, c) in otherColumns.enumerated() { m[i, j] = rows[t * k + c] }
            }
            return m
        }
        let futurePrice = priceColumn.map { column($0, n..<periods) }
        if let futurePrice, futurePrice.contains(where: { $0 <= 0 }) {
            throw .invalidInput("\(name): a non-positive price in the horizon")
        }
        // History days with a missing or non-positive price, or a missing driver, are left out
        // by `PooledRegression` itself.
        let series = SeriesWithFeatures(
            id: "", firstDay: firstDay, y: y, price: priceColumn.map { column($0, 0..<n) },
            promotion: promotionColumn.map { column($0, 0..<n) }, events: otherColumns.isEmpty ? nil : matrix(0..<n),
            futurePrice: futurePrice, futurePromotion: promotionColumn.map { column($0, n..<periods) },
            futureEvents: otherColumns.isEmpty ? nil : matrix(n..<periods))
        let model = PooledRegression(
            eventNames: otherColumns.map { columns[$0] }, yearlyTerms: n >= 730 ? 3 : (n >= 365 ? 1 : 0), name: name)
        return try model.fit(group: [series]).series[0]
    }
}
