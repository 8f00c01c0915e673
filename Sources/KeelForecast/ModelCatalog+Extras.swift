import KeelNumerics

extension ModelCatalog {
    /// The optimiser settings of the production AutoETS: the spread test is relative to the
    /// likelihood's size (1e-7 of |−2 log L| on top of 1e-4 absolute), capped at 500 iterations.
    /// On long daily series the absolute test alone is rarely met and fits ran to 1,000 iterations
    /// for no change that matters to AICc; `Benchmarks/forecast` measures both. The catalog's
    /// AutoETS also screens out the seasonal structures of series without seasonality
    /// (`AutoETS.screensSeason`).
    public static let productionETSOptimizer = NelderMead(tolerance: 1e-4, relativeTolerance: 1e-7, maxIterations: 500)

    /// Models that live in their own files and take configuration.
    static func builtinExtras() -> [String: @Sendable ([Int]) -> any Forecaster] {
        [
            "AutoETS": { _ in AutoETS(optimizer: productionETSOptimizer, screensSeason: true) },
            "MSTL": { seasons in MSTL(seasonLengths: seasons) },
            "DynamicRegression": { seasons in DynamicRegression(seasonLengths: seasons) },
        ]
    }
}
