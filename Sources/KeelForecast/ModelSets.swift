import Foundation

/// Reads candidate sets (the format of `Models/default-model-sets.json`: frequency → class →
/// model names, optionally `"median"` → the classes combined by median and `"drivers"` → the
/// candidates for series with future regressors) and checks every name against the catalog.
public enum ModelSets {
    public static func load(path: String) throws -> [String: [String: [String]]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let sets = try JSONDecoder().decode([String: [String: [String]]].self, from: data)
        let known = Set(ModelCatalog.names)
        for (freq, classes) in sets {
            for (c, names) in classes {
                if c == driversKey {
                    for n in names where !known.contains(n) { throw ForecastError.invalidInput("\(path): \(freq).\(driversKey): unknown model '\(n)'") }
                    continue
                }
                if c == medianKey {
                    for n in names where DemandClass(rawValue: n) == nil || classes[n] == nil {
                        throw ForecastError.invalidInput("\(path): \(freq).\(medianKey): '\(n)' is not a demand class of this frequency")
                    }
                    continue
                }
                guard DemandClass(rawValue: c) != nil else { throw ForecastError.invalidInput("\(path): \(freq): unknown demand class '\(c)'") }
                for n in names where !known.contains(n) { throw ForecastError.invalidInput("\(path): \(freq).\(c): unknown model '\(n)'") }
            }
        }
        return sets
    }

    /// The sets to use: `path` when given; otherwise `Models/default-model-sets.json` under the
    /// working directory when present (planners edit it without a rebuild); otherwise the built-in
    /// `ModelCatalog.defaultSets`, which a test keeps equal to that file.
    public static func resolve(path: String?) throws -> [String: [String: [String]]] {
        if let path { return try load(path: path) }
        let local = "Models/default-model-sets.json"
        return FileManager.default.fileExists(atPath: local) ? try load(path: local) : ModelCatalog.defaultSets
    }

    /// The key of a frequency's list of demand classes forecast by the median of all their
    /// candidates instead of a choice by backtest (e.g. `"median": ["smooth"]`).
    public static let medianKey = "median"

    /// The key of a frequency's candidates for series with future regressor values (file mode,
    /// `--future`), e.g. `"drivers": ["LogLinkRegressionX"]`: they replace the class's candidates
    /// for such series (see `ForecastEngine.Request.driverCandidates`).
    public static let driversKey = "drivers"

    /// A frequency's candidates for series with drivers; nil when the sets name none.
    public static func driverCandidates(_ sets: [String: [String: [String]]], frequency: SeriesPanel.Frequency) -> [String]? {
        sets[frequency.rawValue]?[driversKey].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The classes of a frequency forecast by the median of their candidates.
    public static func medianClasses(_ sets: [String: [String: [String]]], frequency: SeriesPanel.Frequency) -> Set<DemandClass> {
        Set((sets[frequency.rawValue]?[medianKey] ?? []).compactMap(DemandClass.init(rawValue:)))
    }

    /// The candidates for a frequency, by class.
    public static func candidates(_ sets: [String: [String: [String]]], frequency: SeriesPanel.Frequency) -> [DemandClass: [String]] {
        let known = Set(ModelCatalog.names)
        var out: [DemandClass: [String]] = [:]
        for c in DemandClass.allCases { out[c] = (sets[frequency.rawValue]?[c.rawValue] ?? []).filter { known.contains($0) } }
        return out
    }
}
