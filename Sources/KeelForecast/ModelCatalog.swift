/// Every forecaster by name, and the default candidate sets of automatic selection.
///
/// The canonical copy of the default sets is `Models/default-model-sets.json`; a test checks that
/// it equals `ModelCatalog.defaultSets`, and the CLI reads the file when it is present so planners
/// can change the candidates without a rebuild.
public enum ModelCatalog {
    /// Builds a model by name; `seasonLengths` feeds multi-seasonal models. Nil for an unknown name
    /// and for `DynamicRegressionX` and `LogLinkRegressionX`, which are built per series from its
    /// exogenous columns.
    public static func model(named name: String, seasonLengths: [Int]) -> (any Forecaster)? {
        switch name {
        case "Naive": return Naive()
        case "SeasonalNaive": return SeasonalNaive()
        case "HistoricAverage": return HistoricAverage()
        case "WindowAverage": return WindowAverage(window: 28)
        case "SeasonalWindowAverage": return SeasonalWindowAverage(window: 4)
        case "Theta": return Theta()
        case "OptimizedTheta": return OptimizedTheta()
        case "DynamicTheta": return DynamicTheta()
        case "DynamicOptimizedTheta": return DynamicOptimizedTheta()
        case "CrostonClassic": return CrostonClassic()
        case "CrostonSBA": return CrostonSBA()
        case "CrostonOptimized": return CrostonOptimized()
        case "TSB": return TSB(alphaD: 0.1, alphaP: 0.1)
        case "TSBOptimized": return TSBOptimized()
        case "ADIDA": return ADIDA()
        case "IMAPA": return IMAPA()
        default: return extraModels[name]?(seasonLengths)
        }
    }

    /// Models registered by other files of this target (ETS, MSTL, regression).
    static let extraModels: [String: @Sendable ([Int]) -> any Forecaster] = builtinExtras()

    public static var names: [String] {
        (["Naive", "SeasonalNaive", "HistoricAverage", "WindowAverage", "SeasonalWindowAverage", "Theta", "OptimizedTheta",
          "DynamicTheta", "DynamicOptimizedTheta", "CrostonClassic", "CrostonSBA", "CrostonOptimized", "TSB", "TSBOptimized",
          "ADIDA", "IMAPA", ExogenousRegression.catalogName, ExogenousLogLinkRegression.catalogName] + extraModels.keys.sorted())
    }

    /// Candidate sets keyed by frequency (`D`, `W`, `M`, `Q`, `H`, `I`) and demand class.
    public static let defaultSets: [String: [String: [String]]] = [
        "D": ["smooth": ["AutoETS", "DynamicOptimizedTheta", "MSTL", "SeasonalNaive"],
              "intermittent": ["CrostonSBA", "TSBOptimized", "ADIDA", "IMAPA", "WindowAverage"],
              "drivers": ["LogLinkRegressionX"]],
        "W": ["smooth": ["AutoETS", "DynamicOptimizedTheta", "SeasonalNaive"],
              "intermittent": ["CrostonSBA", "TSBOptimized", "ADIDA", "IMAPA"]],
        "M": ["smooth": ["AutoETS", "DynamicOptimizedTheta", "SeasonalNaive", "MSTL"],
              "intermittent": ["CrostonOptimized", "TSBOptimized", "ADIDA", "IMAPA", "HistoricAverage"],
              "median": ["smooth"]],
        "Q": ["smooth": ["AutoETS", "DynamicOptimizedTheta", "OptimizedTheta", "SeasonalNaive"],
              "intermittent": ["CrostonOptimized", "TSBOptimized", "ADIDA", "HistoricAverage"]],
        "H": ["smooth": ["MSTL", "AutoETS", "SeasonalNaive"],
              "intermittent": ["CrostonSBA", "TSBOptimized", "ADIDA"]],
        "I": ["smooth": ["AutoETS", "DynamicOptimizedTheta", "Naive"],
              "intermittent": ["CrostonSBA", "TSBOptimized", "ADIDA", "IMAPA"]],
    ]
}
