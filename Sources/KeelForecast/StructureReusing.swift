/// A forecaster whose structure search is expensive and can be done once per series.
///
/// Automatic selection fits every candidate on each backtest window. For a model like AutoETS,
/// which searches ~15 structures by AICc, `reusing(_:)` returns the forecaster with the structure
/// found on the whole series, so each window only re-estimates that structure's parameters.
/// The shortcut: the structure (not the parameters) is chosen with the backtest windows in view.
public protocol StructureReusing: Forecaster {
    func reusing(_ fitted: any FittedForecaster) -> any Forecaster
}

extension AutoETS: StructureReusing {
    public func reusing(_ fitted: any FittedForecaster) -> any Forecaster {
        guard let ets = fitted as? FittedETS else { return self }
        return ETSModel(ets.spec, optimizer: optimizer)
    }
}
