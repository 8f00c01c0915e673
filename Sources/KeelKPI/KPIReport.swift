import KeelCore
import KeelStore

/// A KPI that is either measured or unavailable with the reason (its source has no run yet, or
/// holds nothing to measure). Never a silent zero. JSON: `{"value": …, "reason": null}` or
/// `{"value": null, "reason": "…"}`.
public enum Measured<Value: Sendable & Equatable & Encodable>: Sendable, Equatable, Encodable {
    case value(Value)
    case unavailable(String)

    public var value: Value? { if case .value(let v) = self { return v } else { return nil } }
    public var reason: String? { if case .unavailable(let r) = self { return r } else { return nil } }

    enum CodingKeys: String, CodingKey { case value, reason }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(value, forKey: .value)
        try c.encode(reason, forKey: .reason)
    }
}

/// The retailer's KPIs as of one day, computed from one consistent snapshot of the database
/// (`KPIReport.compute`). Rates are shares in 0…1 (nil where the denominator is zero); money in the
/// data's one currency.
///
/// Windows: `asOf` defaults to the latest transaction day (the latest sales or returns day); the
/// trailing window is `windowStart … asOf` inclusive (`windowDays` days, 28 by default) and applies
/// to orders (created day), sales, returns and inventory snapshots. Sourcing, forecast accuracy and
/// anomalies come from the latest qualifying run at or before `asOf` instead.
public struct KPIReport: Sendable, Equatable, Encodable, ExplicitNulls {
    public var asOf: Day
    public var windowStart: Day
    public var windowDays: Int
    /// Orders created in the window (orders table): lines, units and orders, and those cancelled.
    public var orders: Measured<OrderStatusKPI>
    /// Fill from the latest sourcing run: units, lines and orders sourced; lines left unsourced.
    public var sourcingFill: Measured<SourcingFillKPI>
    /// Snapshot reconciliation: the share of snapshots that the previous snapshot and the movements explain.
    public var inventoryAccuracy: Measured<InventoryAccuracyKPI>
    /// Returns in the window against sales in the window, by channel, with cycle times.
    public var returns: Measured<ReturnsKPI>
    /// Ship + handling cost per sourced order, by fulfilment path (latest sourcing run).
    public var fulfilmentCost: Measured<FulfilmentCostKPI>
    /// Gross margin of the window's sales, by channel and by fulfilment path.
    public var grossMargin: Measured<GrossMarginKPI>
    /// Series-days in stock over the window (the demand history's stockout censoring).
    public var inStock: Measured<InStockKPI>
    /// Accuracy of the latest forecast run whose every day has actuals.
    public var forecastAccuracy: Measured<ForecastAccuracyKPI>
    /// Open anomalies and their money at risk.
    public var openAnomalies: Measured<AnomalyKPI>
}

/// A numerator over a denominator, with the share (nil when the denominator is 0).
public struct Ratio: Sendable, Equatable, Encodable, ExplicitNulls {
    public var part: Double
    public var whole: Double
    public var share: Double?
    public init(_ part: Double, of whole: Double) {
        self.part = part; self.whole = whole
        share = whole == 0 ? nil : part / whole
    }
}

public struct OrderStatusKPI: Sendable, Equatable, Encodable, ExplicitNulls {
    /// Cancelled lines / lines created in the window.
    public var cancelledLines: Ratio
    /// Cancelled units / units ordered in the window.
    public var cancelledUnits: Ratio
    /// Orders with at least one cancelled line / orders created in the window.
    public var cancelledOrders: Ratio
}

public struct SourcingFillKPI: Sendable, Equatable, Encodable, ExplicitNulls {
    public var runId: Int64
    /// Units given a location / all units the run considered (sourced + unsourced rows).
    public var unitFillRate: Ratio
    /// Order lines with every unit sourced / lines in the run.
    public var lineFillRate: Ratio
    /// Orders with every line fully sourced / orders in the run (the order fill rate).
    public var orderFillRate: Ratio
    /// Lines with some unit left unsourced (empty location) / lines in the run.
    public var unfulfillableLines: Ratio
    /// Units left unsourced / all units the run considered.
    public var unfulfillableUnits: Ratio
}

public struct InventoryAccuracyKPI: Sendable, Equatable, Encodable, ExplicitNulls {
    /// Snapshots with as_of in the window.
    public var snapshots: Int
    /// Of those, snapshots that have an earlier snapshot of the same (location, sku) to reconcile against.
    public var snapshotsChecked: Int
    /// Checked snapshots whose on_hand differs from the implied position by more than `tolerance`.
    public var mismatches: Int
    /// Snapshots whose reserved + damaged exceed on_hand (negative available stock).
    public var impossiblePositions: Int
    /// Snapshots with a mismatch or an impossible position.
    public var inaccurate: Int
    /// inaccurate / snapshots.
    public var mismatchRate: Double
    /// 1 − mismatch rate.
    public var accuracy: Double
    /// Σ |on_hand − implied| over the checked snapshots.
    public var absoluteUnitDifference: Double
    public var tolerance: Double
}

public struct ChannelReturns: Sendable, Equatable, Encodable, ExplicitNulls {
    public var channel: String
    /// Units returned / units sold (both in the window).
    public var units: Ratio
    /// Refunds / net sales (qty × unit_price − discount).
    public var value: Ratio
    /// Returns in the window whose original sale is known.
    public var linkedReturns: Int
    /// Days from the original sale to the return (median and mean over linked returns).
    public var medianCycleDays: Double?
    public var meanCycleDays: Double?
}

public struct ReturnsKPI: Sendable, Equatable, Encodable, ExplicitNulls {
    /// By the return's channel, sorted by channel; the `total` row covers every channel.
    public var byChannel: [ChannelReturns]
    public var total: ChannelReturns
    /// Returns in the window without a known original sale (left out of the cycle times).
    public var unlinkedReturns: Int
}

public struct PathCost: Sendable, Equatable, Encodable, ExplicitNulls {
    public var path: String
    /// Distinct orders with at least one line sourced on this path.
    public var orders: Int
    public var units: Double
    public var shipCost: Double
    public var handlingCost: Double
    /// (ship + handling) / orders.
    public var costPerOrder: Double?
}

public struct FulfilmentCostKPI: Sendable, Equatable, Encodable, ExplicitNulls {
    public var runId: Int64
    /// By path: `dc`, `ship_from_store`, `pickup`, `dropship`, `3pl` (only paths that occur).
    public var byPath: [PathCost]
    /// Every sourced row; orders = distinct orders with at least one sourced line.
    public var total: PathCost
}

public struct MarginLine: Sendable, Equatable, Encodable, ExplicitNulls {
    public var key: String
    public var units: Double
    public var netRevenue: Double
    public var cost: Double
    public var grossMargin: Double
    /// Gross margin / net revenue.
    public var marginRate: Double?
}

public struct GrossMarginKPI: Sendable, Equatable, Encodable, ExplicitNulls {
    public var byChannel: [MarginLine]
    /// `in_store`, `dc`, `ship_from_store`, `pickup`, `dropship`, `3pl`.
    public var byPath: [MarginLine]
    public var total: MarginLine
}

public struct ForecastAccuracyKPI: Sendable, Equatable, Encodable, ExplicitNulls {
    public var runId: Int64
    public var firstDay: Day
    public var lastDay: Day
    /// Scored series-days (stockout days excluded).
    public var points: Int
    /// Forecast series-days left out because the day was a stockout (censored demand).
    public var censoredPoints: Int
    /// Forecast rows that name no demand series (aggregates, unknown pairs): not scored.
    public var unmatchedRows: Int
    public var actualUnits: Double
    public var forecastUnits: Double
    /// Σ|f − a| / Σa.
    public var wape: Double?
    /// (Σf − Σa) / Σa.
    public var bias: Double?
    /// Σ|f − a| / n.
    public var mae: Double?
    /// MAE / the mean absolute one-day change of the actuals (naive error) of the scored series.
    public var scaledError: Double?
    /// The naive error the scaled error divides by, and the number of day pairs it averages.
    public var naiveMAE: Double?
    public var naivePairs: Int
}

public struct AnomalyGroup: Sendable, Equatable, Encodable, ExplicitNulls {
    public var key: String
    public var count: Int
    public var amountAtRisk: Double
}

public struct AnomalyKPI: Sendable, Equatable, Encodable, ExplicitNulls {
    public var count: Int
    public var amountAtRisk: Double
    public var byKind: [AnomalyGroup]
    public var bySeverity: [AnomalyGroup]
    public var byKindAndSeverity: [AnomalyGroup]
}

public struct InStockLine: Sendable, Equatable, Encodable, ExplicitNulls {
    public var key: String
    /// (series, day) pairs in the window on or after the series' first sale.
    public var seriesDays: Int
    /// Of those, days flagged stockout (no available stock at the end of the day).
    public var stockoutDays: Int
    /// 1 − stockoutDays / seriesDays.
    public var inStockRate: Double
}

public struct InStockKPI: Sendable, Equatable, Encodable, ExplicitNulls {
    /// By channel of the series (channels with series-days only), then the total.
    public var byChannel: [InStockLine]
    public var total: InStockLine
}
