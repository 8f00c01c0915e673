import Foundation

/// The statsforecast 2.1.1 fixture written by `Scripts/fixtures/ets_reference.py`.
struct ETSReference: Decodable {
    struct Result: Decodable {
        var model: String
        var mean: [Double]
        var lo80: [Double]?
        var hi80: [Double]?
        var lo95: [Double]?
        var hi95: [Double]?
        var aicc: Double
    }
    struct Case: Decodable {
        var id: String
        var seasonLength: Int
        var horizon: Int
        var train: [Double]
        var test: [Double]
        var auto: Result
        var fixed: [String: Result]
    }
    var statsforecast: String
    var cases: [Case]

    static let shared: ETSReference = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/ets_reference.json")
        let data = try! Data(contentsOf: url)
        return try! JSONDecoder().decode(ETSReference.self, from: data)
    }()

    /// Mean absolute scaled error of `forecast` against `actual`, scaled by the in-sample mean
    /// absolute seasonal difference (lag m, or 1 without season).
    static func mase(_ forecast: [Double], actual: [Double], train: [Double], seasonLength: Int) -> Double {
        let lag = max(1, seasonLength)
        var s = 0.0, c = 0
        for t in lag..<train.count { s += abs(train[t] - train[t - lag]); c += 1 }
        let scale = s / Double(c)
        let err = zip(forecast, actual).map { abs($0 - $1) }.reduce(0, +) / Double(actual.count)
        return err / scale
    }

    /// Mean over steps of |a − b| / |b|.
    static func meanRelativeDifference(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) / max(abs($1), 1e-12) }.reduce(0, +) / Double(a.count)
    }
}
