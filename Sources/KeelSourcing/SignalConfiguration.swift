import KeelCore

/// Which sourcing signals are on, and their parameters. Every signal is off by default
/// (`SignalConfiguration.off`): the objective is then exactly shipping + handling.
///
/// Defaults when a signal is switched on (`keel route --store-protection --markdown-credit
/// --return-cost --opportunity-cost` uses them as they are):
/// - store protection: walk-in need over the next 7 days;
/// - markdown credit: scheduled markdowns from the price list within 56 days; items without one
///   are assumed marked down by 30 % 28 days out; sell-through from the latest forecast's mean
///   daily rate over its first 28 days;
/// - expected return cost: shrinkage of 50 sold units toward the overall return rate; return
///   shipping 6.00 and handling 1.50 per returned unit at every node type;
/// - opportunity cost: a transportation LP over 7 days of expected online demand, split into at
///   most 20,000 demand lines.
public struct SignalConfiguration: Sendable, Equatable {
    public struct StoreProtection: Sendable, Equatable {
        /// Days of forecast walk-in demand to protect.
        public var days = 7
        public init(days: Int = 7) { self.days = days }
    }

    public struct Markdown: Sendable, Equatable {
        /// Scheduled markdowns (price rows below `unit_price`) starting within this many days count.
        public var scheduledWithinDays = 56
        /// Items with no scheduled markdown: assumed marked down `defaultDepth` after
        /// `defaultHorizonDays` (the stock is then aged). `defaultDepth` 0 = only scheduled ones.
        public var defaultHorizonDays = 28
        public var defaultDepth = 0.3
        /// Days of the forecast averaged into each node's daily sell-through rate.
        public var forecastDays = 28
        public init(scheduledWithinDays: Int = 56, defaultHorizonDays: Int = 28, defaultDepth: Double = 0.3, forecastDays: Int = 28) {
            self.scheduledWithinDays = scheduledWithinDays; self.defaultHorizonDays = defaultHorizonDays
            self.defaultDepth = defaultDepth; self.forecastDays = forecastDays
        }
    }

    public struct Returns: Sendable, Equatable {
        /// Prior strength in sold units: a (category, channel) rate is
        /// `(returned + priorUnits × overall) / (sold + priorUnits)`.
        public var priorUnits = 50.0
        /// Per returned unit, by the type of the node that fulfilled the line (returns go back to
        /// it): return shipping and handling (receiving, inspection, restocking).
        public var shippingPerUnit = 6.0
        public var handlingPerUnit = 1.5
        public var shippingByNodeType: [LocationType: Double] = [:]
        public var handlingByNodeType: [LocationType: Double] = [:]
        public init(
            priorUnits: Double = 50, shippingPerUnit: Double = 6, handlingPerUnit: Double = 1.5,
            shippingByNodeType: [LocationType: Double] = [:], handlingByNodeType: [LocationType: Double] = [:]
        ) {
            self.priorUnits = priorUnits; self.shippingPerUnit = shippingPerUnit; self.handlingPerUnit = handlingPerUnit
            self.shippingByNodeType = shippingByNodeType; self.handlingByNodeType = handlingByNodeType
        }
        public func shipping(_ type: LocationType) -> Double { shippingByNodeType[type] ?? shippingPerUnit }
        public func handling(_ type: LocationType) -> Double { handlingByNodeType[type] ?? handlingPerUnit }
    }

    public struct Opportunity: Sendable, Equatable {
        /// Days of expected online demand priced into today's decisions.
        public var horizonDays = 7
        /// At most this many demand lines in the LP (larger demand is split into larger lines).
        public var maxDemandLines = 20_000
        public init(horizonDays: Int = 7, maxDemandLines: Int = 20_000) {
            self.horizonDays = horizonDays; self.maxDemandLines = maxDemandLines
        }
    }

    /// nil = the signal is off.
    public var storeProtection: StoreProtection?
    public var markdown: Markdown?
    public var returns: Returns?
    public var opportunity: Opportunity?

    public init(storeProtection: StoreProtection? = nil, markdown: Markdown? = nil, returns: Returns? = nil, opportunity: Opportunity? = nil) {
        self.storeProtection = storeProtection; self.markdown = markdown; self.returns = returns; self.opportunity = opportunity
    }

    /// Every signal off.
    public static let off = SignalConfiguration()

    public var isOff: Bool { storeProtection == nil && markdown == nil && returns == nil && opportunity == nil }

    /// For a run's parameters: `off` or the signals on with their main parameter.
    public var summary: String {
        var parts: [String] = []
        if let p = storeProtection { parts.append("store_protection:\(p.days)d") }
        if let m = markdown { parts.append("markdown_credit:\(m.scheduledWithinDays)d/default \(m.defaultDepth)@\(m.defaultHorizonDays)d") }
        if let r = returns { parts.append("return_cost:prior \(r.priorUnits)") }
        if let o = opportunity { parts.append("opportunity_cost:\(o.horizonDays)d") }
        return parts.isEmpty ? "off" : parts.joined(separator: ",")
    }
}
