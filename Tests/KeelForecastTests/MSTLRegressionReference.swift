import Foundation

/// `Fixtures/mstl_regression_reference.json`, written by
/// `Scripts/fixtures/mstl_regression_reference.py` from statsmodels 0.15, statsforecast 2.1.1
/// and numpy.
struct MSTLRegressionReference: Decodable {
    struct Components: Decodable {
        var trend: [Double]
        var seasonal: [Double]
        var resid: [Double]
    }
    struct STLCases: Decodable {
        var y: [Double]
        var period: Int
        var `default`: Components
        var robust: Components
        var seasonal13: Components
    }
    struct MSTLComponents: Decodable {
        var windows: [Int]
        var seasonal_deg: Int
        var trend: [Double]
        var seasonal7: [Double]
        var seasonal365: [Double]
        var resid: [Double]
    }
    struct MSTLCases: Decodable {
        var y: [Double]
        var periods: [Int]
        var statsmodels: MSTLComponents
        var statsforecast: MSTLComponents
        var statsforecast_forecast28: [Double]
    }
    struct Ridge: Decodable {
        var n: Int
        var period: Int
        var fourier: Int
        var lambda: Double
        var y: [Double]
        var beta: [Double]
    }
    var stl: STLCases
    var mstl: MSTLCases
    var ridge: Ridge

    static let shared: MSTLRegressionReference = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/mstl_regression_reference.json")
        let data = try! Data(contentsOf: url)
        return try! JSONDecoder().decode(MSTLRegressionReference.self, from: data)
    }()
}

/// max_i |a_i − b_i| / max(1, max_i |b_i|): the error relative to the component's scale.
func scaledMaxError(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    let scale = max(1, b.map(abs).max() ?? 1)
    return zip(a, b).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
}
