import KeelCore

/// Every detector's settings, with documented defaults. `AnomalyConfiguration()` is what
/// `keel anomalies` runs; tests and callers change single fields.
public struct AnomalyConfiguration: Sendable, Codable, Equatable {
    /// Severity from money at risk: `high` at or above `highAmount`, `medium` at or above
    /// `mediumAmount`, else `low`.
    public var highAmount = 100.0
    public var mediumAmount = 20.0
    /// The kinds to run (default: all).
    public var kinds: [AnomalyKind] = AnomalyKind.allCases

    public var pricing = Pricing()
    public var refunds = Refunds()
    public var returnRates = ReturnRates()
    public var demand = Demand()
    public var inventory = Inventory()
    public var settlements = Settlements()
    public var margin = Margin()

    public init() {}

    /// price_below_cost, price_override, promo_outside_window, channel_price_conflict.
    public struct Pricing: Sendable, Codable, Equatable {
        /// A charged price differing from the approved price by more than
        /// `max(absoluteTolerance, relativeTolerance × approved)` is an override.
        public var absoluteTolerance = 0.01
        public var relativeTolerance = 0.005
        /// Channel prices differing by more than this (money) conflict.
        public var conflictTolerance = 0.01
        public init() {}
    }

    /// refund_exceeds_sale, refund_without_sale, refund_tender_mismatch.
    public struct Refunds: Sendable, Codable, Equatable {
        /// Refunds above the line's net charge by more than this (money) exceed it.
        public var tolerance = 0.02
        /// A no-receipt return is flagged when its refund per unit is at least `valueMultiple` ×
        /// the chain's median refund per unit (over all returns), or the returner has at least
        /// `repeatCount` no-receipt returns, or its store's no-receipt count is at least
        /// `storeMultiple` × the median store's and its refund per unit is at least the median.
        public var valueMultiple = 1.5
        public var repeatCount = 3
        public var storeMultiple = 4.0
        /// Tender pairs (original → refund) that are policy, not a mismatch.
        public var allowedTenderPairs: [[String]] = [["gift_card", "loyalty"], ["loyalty", "gift_card"]]
        public init() {}
    }

    /// return_rate_outlier: beta-binomial empirical Bayes against peers.
    public struct ReturnRates: Sendable, Codable, Equatable {
        /// The shrunk rate must be at least `rateMultiple` × the peers' mean rate …
        public var rateMultiple = 2.5
        /// … and exceed it by `zThreshold` posterior standard deviations.
        public var zThreshold = 4.0
        /// Entities with fewer trials than this are not judged.
        public var minimumTrials = 8
        public init() {}
    }

    /// sales_spike, sales_drop.
    public struct Demand: Sendable, Codable, Equatable {
        /// Spike (basket): one non-promotion line whose quantity is at least `basketMultiple` ×
        /// the chain's 99.9% quantile of line quantities and at least `minimumSpikeUnits`.
        public var basketMultiple = 1.25
        public var minimumSpikeUnits = 4.0
        /// Spike (day): a non-promotion day whose units are at least `dayMultiple` × the series'
        /// own 99.5% quantile of non-promotion days (over `baselineDays` before it) and at least
        /// `minimumDayUnits`, on a day the location's total is not an event (≤ `eventMultiple` ×
        /// its median day).
        public var dayMultiple = 6.0
        public var minimumDayUnits = 12.0
        public var eventMultiple = 1.6
        public var baselineDays = 182
        /// Drop: a run of at least `minimumDropDays` trading days with no sales while in stock,
        /// fired when the chance of no sale on all of them under the series' own negative-binomial
        /// demand (a cautious mean, scaled by the peers' change) is at most `dropSignificance`.
        /// 1e-8: a large retailer tests some 10⁷ series-runs.
        public var dropSignificance = 1e-8
        public var minimumDropDays = 3
        public init() {}
    }

    /// inventory_mismatch.
    public struct Inventory: Sendable, Codable, Equatable {
        /// A stock drop between snapshots that sales, returns, receipts and transfers leave
        /// unexplained by at least `max(minimumUnits, relativeShare × earlier on-hand)`.
        public var minimumUnits = 3.0
        public var relativeShare = 0.25
        public init() {}
    }

    /// settlement_mismatch.
    public struct Settlements: Sendable, Codable, Equatable {
        /// amount + fee differing from the transaction's net total by more than this (money).
        public var tolerance = 0.05
        /// A sale paid by one of `settledTenders` with no settlement this many days after its date.
        public var missingAfterDays = 7
        public var settledTenders = ["card", "marketplace"]
        public init() {}
    }

    /// margin_leakage: per category × channel × location and 14-day period.
    public struct Margin: Sendable, Codable, Equatable {
        public var periodDays = 14
        /// Fired when the period's gross margin is below the margin expected at the prices
        /// charged and the cell's usual line-discount rate by at least
        /// `max(minimumGap, madMultiple × robust spread of that gap in its other periods)`.
        public var minimumGap = 0.08
        public var madMultiple = 4.0
        /// Periods with less revenue than this are not judged.
        public var minimumRevenue = 300.0
        public init() {}
    }

    func severity(_ amount: Double) -> Severity {
        amount >= highAmount ? .high : (amount >= mediumAmount ? .medium : .low)
    }
}
