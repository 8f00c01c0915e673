import Foundation

/// The signal parts of an amount (per unit, per line, per shipment or per plan).
public struct SignalCosts: Sendable, Codable, Equatable {
    public var storeProtection = 0.0
    /// Credited (subtracted from the total).
    public var agingCredit = 0.0
    public var opportunityCost = 0.0
    public var expectedReturnCost = 0.0
    public init(storeProtection: Double = 0, agingCredit: Double = 0, opportunityCost: Double = 0, expectedReturnCost: Double = 0) {
        self.storeProtection = storeProtection; self.agingCredit = agingCredit
        self.opportunityCost = opportunityCost; self.expectedReturnCost = expectedReturnCost
    }
    public var isZero: Bool { storeProtection == 0 && agingCredit == 0 && opportunityCost == 0 && expectedReturnCost == 0 }
    /// protection + opportunity + return − aging credit.
    public var net: Double { storeProtection + opportunityCost + expectedReturnCost - agingCredit }

    mutating func add(_ o: SignalCosts, times q: Double = 1) {
        storeProtection += o.storeProtection * q; agingCredit += o.agingCredit * q
        opportunityCost += o.opportunityCost * q; expectedReturnCost += o.expectedReturnCost * q
    }

    enum CodingKeys: String, CodingKey {
        case storeProtection = "store_protection", agingCredit = "aging_credit", opportunityCost = "opportunity_cost"
        case expectedReturnCost = "expected_return_cost"
    }

    /// "markdown credit 3.20, return cost 1.10" (the nonzero parts), or "".
    public var text: String {
        var parts: [String] = []
        if storeProtection != 0 { parts.append("store protection " + DecimalText.fixed(storeProtection, 2)) }
        if agingCredit != 0 { parts.append("markdown credit " + DecimalText.fixed(agingCredit, 2)) }
        if opportunityCost != 0 { parts.append("opportunity cost " + DecimalText.fixed(opportunityCost, 2)) }
        if expectedReturnCost != 0 { parts.append("expected return cost " + DecimalText.fixed(expectedReturnCost, 2)) }
        return parts.joined(separator: ", ")
    }
}
