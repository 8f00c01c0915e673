import Foundation

/// The planner's settings: service targets by ABC/XYZ class, review periods, holding cost,
/// transfer rules. The canonical defaults live in `Models/planning.json` (a test keeps that file
/// equal to `PlanningConfiguration.defaults`); `keel plan --config FILE` reads another file.
public struct PlanningConfiguration: Codable, Sendable, Equatable {
    /// Cumulative revenue shares closing classes A and B (pairs ranked by forecast revenue within
    /// their location): the top 80 % of revenue is A, the next 15 % B, the rest C.
    public var abcThresholds: [Double]
    /// Coefficient of variation of weekly demand (from the forecast's own uncertainty) closing
    /// classes X and Y: below 0.5 is X, below 1.0 Y, the rest Z.
    public var xyzThresholds: [Double]
    /// Fill-rate target (share of demand served from stock) per class, e.g. "AX": 0.98.
    public var fillRateTargets: [String: Double]
    /// Days between reviews: supplier orders at DCs, and store orders drawn from their DC.
    public var dcReviewPeriodDays: Int
    public var storeReviewPeriodDays: Int
    /// Longest review period a store slow mover may be stretched to (a multiple of the store review
    /// period): when its order quantity alone over-serves the target at reorder point 0, the planner
    /// reviews it less often — the longest multiple at which (0, Q) still meets the target in the
    /// exact lost-sales chain. Equal to `store_review_period_days` turns stretching off.
    public var storeMaxReviewPeriodDays: Int
    /// Holding cost as a share of unit cost per year.
    public var holdingRatePerYear: Double
    /// Receipts needed before a supplier's observed lead time replaces its master data.
    public var minimumLeadTimeReceipts: Int
    /// Fixed cost of one store order drawn from its DC (picking, handling), for the store EOQ.
    public var storeOrderCost: Double
    /// Days a unit may wait at a location before it ages or is marked down (capped by shelf life).
    public var sellThroughDays: Int
    /// Share of the price lost when a unit ages into markdown.
    public var markdownRate: Double
    /// Smallest transfer worth moving, in units.
    public var minimumTransferQty: Double

    public static let defaults = PlanningConfiguration(
        abcThresholds: [0.8, 0.95], xyzThresholds: [0.5, 1.0],
        fillRateTargets: ["AX": 0.98, "AY": 0.97, "AZ": 0.95, "BX": 0.96, "BY": 0.95, "BZ": 0.93, "CX": 0.93, "CY": 0.92, "CZ": 0.90],
        dcReviewPeriodDays: 7, storeReviewPeriodDays: 2, storeMaxReviewPeriodDays: 4, holdingRatePerYear: 0.25, minimumLeadTimeReceipts: 5,
        storeOrderCost: 5, sellThroughDays: 42, markdownRate: 0.3, minimumTransferQty: 2)

    enum CodingKeys: String, CodingKey {
        case abcThresholds = "abc_thresholds", xyzThresholds = "xyz_thresholds", fillRateTargets = "fill_rate_targets"
        case dcReviewPeriodDays = "dc_review_period_days", storeReviewPeriodDays = "store_review_period_days"
        case storeMaxReviewPeriodDays = "store_max_review_period_days"
        case holdingRatePerYear = "holding_rate_per_year", minimumLeadTimeReceipts = "minimum_lead_time_receipts"
        case storeOrderCost = "store_order_cost", sellThroughDays = "sell_through_days", markdownRate = "markdown_rate"
        case minimumTransferQty = "minimum_transfer_qty"
    }

    /// Every class name the targets must cover.
    public static let classNames = ["A", "B", "C"].flatMap { a in ["X", "Y", "Z"].map { a + $0 } }

    /// Checks every value; the message names the offending key.
    public func validate() throws(PlanningError) {
        func increasing(_ t: [Double], _ name: String) throws(PlanningError) {
            guard t.count == 2, t[0] > 0, t[0] < t[1] else { throw .invalidConfiguration("\(name) must be two increasing positive numbers, got \(t)") }
        }
        try increasing(abcThresholds, "abc_thresholds")
        guard abcThresholds[1] < 1 else { throw .invalidConfiguration("abc_thresholds must be below 1, got \(abcThresholds)") }
        try increasing(xyzThresholds, "xyz_thresholds")
        for name in Self.classNames {
            guard let t = fillRateTargets[name] else { throw .invalidConfiguration("fill_rate_targets has no target for class \(name)") }
            guard t > 0, t < 1 else { throw .invalidConfiguration("fill_rate_targets.\(name) = \(t): a service target must lie strictly between 0 and 1") }
        }
        if let extra = fillRateTargets.keys.sorted().first(where: { !Self.classNames.contains($0) }) {
            throw .invalidConfiguration("fill_rate_targets has an unknown class '\(extra)' (classes are AX … CZ)")
        }
        guard dcReviewPeriodDays >= 1, storeReviewPeriodDays >= 1 else { throw .invalidConfiguration("review periods must be at least 1 day") }
        guard storeMaxReviewPeriodDays >= storeReviewPeriodDays, storeMaxReviewPeriodDays <= 91 else {
            throw .invalidConfiguration("store_max_review_period_days must lie between store_review_period_days (\(storeReviewPeriodDays)) and 91, got \(storeMaxReviewPeriodDays)")
        }
        guard holdingRatePerYear > 0, holdingRatePerYear.isFinite else { throw .invalidConfiguration("holding_rate_per_year must be positive") }
        guard minimumLeadTimeReceipts >= 2 else { throw .invalidConfiguration("minimum_lead_time_receipts must be at least 2") }
        guard storeOrderCost >= 0, sellThroughDays >= 1, markdownRate >= 0, markdownRate <= 1, minimumTransferQty >= 0 else {
            throw .invalidConfiguration("store_order_cost ≥ 0, sell_through_days ≥ 1, markdown_rate in [0, 1] and minimum_transfer_qty ≥ 0 are required")
        }
    }

    /// Reads and validates a configuration file; keys left out take their defaults.
    public static func load(path: String) throws(PlanningError) -> PlanningConfiguration {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .invalidConfiguration("\(path): cannot read: \(error.localizedDescription)")
        }
        do {
            let config = try JSONDecoder().decode(PlanningConfiguration.self, from: data)
            try config.validate()
            return config
        } catch let e as PlanningError {
            throw .invalidConfiguration("\(path): \(e.message)")
        } catch {
            throw .invalidConfiguration("\(path): not a planning configuration: \(error)")
        }
    }

    /// `Models/planning.json` under the current folder when present, else the built-in defaults.
    public static func resolve(path: String?) throws(PlanningError) -> PlanningConfiguration {
        if let path { return try load(path: path) }
        let local = "Models/planning.json"
        return FileManager.default.fileExists(atPath: local) ? try load(path: local) : defaults
    }
}

extension PlanningConfiguration {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        abcThresholds = try c.decodeIfPresent([Double].self, forKey: .abcThresholds) ?? d.abcThresholds
        xyzThresholds = try c.decodeIfPresent([Double].self, forKey: .xyzThresholds) ?? d.xyzThresholds
        fillRateTargets = try c.decodeIfPresent([String: Double].self, forKey: .fillRateTargets) ?? d.fillRateTargets
        dcReviewPeriodDays = try c.decodeIfPresent(Int.self, forKey: .dcReviewPeriodDays) ?? d.dcReviewPeriodDays
        storeReviewPeriodDays = try c.decodeIfPresent(Int.self, forKey: .storeReviewPeriodDays) ?? d.storeReviewPeriodDays
        storeMaxReviewPeriodDays = try c.decodeIfPresent(Int.self, forKey: .storeMaxReviewPeriodDays) ?? max(d.storeMaxReviewPeriodDays, storeReviewPeriodDays)
        holdingRatePerYear = try c.decodeIfPresent(Double.self, forKey: .holdingRatePerYear) ?? d.holdingRatePerYear
        minimumLeadTimeReceipts = try c.decodeIfPresent(Int.self, forKey: .minimumLeadTimeReceipts) ?? d.minimumLeadTimeReceipts
        storeOrderCost = try c.decodeIfPresent(Double.self, forKey: .storeOrderCost) ?? d.storeOrderCost
        sellThroughDays = try c.decodeIfPresent(Int.self, forKey: .sellThroughDays) ?? d.sellThroughDays
        markdownRate = try c.decodeIfPresent(Double.self, forKey: .markdownRate) ?? d.markdownRate
        minimumTransferQty = try c.decodeIfPresent(Double.self, forKey: .minimumTransferQty) ?? d.minimumTransferQty
    }
}
