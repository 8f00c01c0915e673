/// A forecaster whose structure search is expensive and can be done once per series.
///
/// Automatic selection fits every candidate on each backtest window. For a model like AutoETS,
/// which searches ~15 structures by AICc, `reusing(_:)` returns a forecaster built from the fit on
/// the whole series, so the windows need no search. The shortcut: what is reused was chosen
/// (and, for AutoETS, estimated) with the backtest windows in view.
public protocol StructureReusing: Forecaster {
    func reusing(_ fitted: any FittedForecaster) -> any Forecaster
}

extension AutoETS: StructureReusing {
    /// The whole series' fit, filtered over each window (`ETSRefilter`): neither the structure
    /// nor the parameters are re-estimated per window.
    public func reusing(_ fitted: any FittedForecaster) -> any Forecaster {
        guard let ets = fitted as? FittedETS else { return self }
        return ETSRefilter(ets)
    }
}
