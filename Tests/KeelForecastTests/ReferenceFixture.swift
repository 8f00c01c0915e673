import Foundation

/// Tests/KeelForecastTests/Fixtures/theta_croston_reference.json, written by
/// Scripts/fixtures/theta_croston_reference.py from statsforecast 2.1.1.
struct ReferenceFixture: Decodable {
    struct ModelResult: Decodable {
        let mean: [Double?]
        let fitted: [Double?]?
        let bounds: [String: [Double?]]
        /// The Theta bounds from statsforecast's own simulation run with 100,000 paths.
        let mc100k: [String: [Double?]]?
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            mean = try c.decode([Double?].self, forKey: Key(stringValue: "mean"))
            fitted = try c.decodeIfPresent([Double?].self, forKey: Key(stringValue: "fitted"))
            var b: [String: [Double?]] = [:]
            for key in c.allKeys where key.stringValue.hasPrefix("lo-") || key.stringValue.hasPrefix("hi-") {
                b[key.stringValue] = try c.decode([Double?].self, forKey: key)
            }
            bounds = b
            mc100k = try c.decodeIfPresent([String: [Double?]].self, forKey: Key(stringValue: "mc100k"))
        }
    }
    struct Smooth: Decodable {
        let id: String
        let season_length: Int
        let horizon: Int
        let y: [Double?]
        let models: [String: ModelResult]
    }
    struct Intermittent: Decodable {
        let id: String
        let horizon: Int
        let y: [Double?]
        let models: [String: ModelResult]
    }
    let statsforecast: String
    let levels: [Int]
    let smooth: [Smooth]
    let intermittent: [Intermittent]

    static let shared: ReferenceFixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/theta_croston_reference.json")
        let data = try! Data(contentsOf: url)
        return try! JSONDecoder().decode(ReferenceFixture.self, from: data)
    }()
}

extension Array where Element == Double? {
    var values: [Double] { map { $0 ?? .nan } }
}

/// max over i of |a − b| / max(1e-12·scale, |b|), ignoring positions where b is missing.
func maxRelativeError(_ a: [Double], _ b: [Double]) -> Double {
    var worst = 0.0
    for (x, r) in zip(a, b) where r.isFinite {
        worst = Swift.max(worst, abs(x - r) / Swift.max(abs(r), 1e-9))
    }
    return worst
}
