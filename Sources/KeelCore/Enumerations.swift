/// The contract's enumerations (lower-case in files and in the database).

public enum Channel: String, CaseIterable, Sendable, Codable {
    case store, web, app, marketplace, callCenter = "call_center"
    /// A small stable code used in packed keys.
    public var code: Int { Channel.allCases.firstIndex(of: self)! }
    public init?(code: Int) {
        guard code >= 0, code < Channel.allCases.count else { return nil }
        self = Channel.allCases[code]
    }
}

public enum LocationType: String, CaseIterable, Sendable, Codable {
    case dc, store, dropship, thirdPartyLogistics = "3pl"
    /// Contract defaults: dc, dropship and 3pl ship to customers; stores do not.
    public var shipsToCustomerByDefault: Bool { self != .store }
    /// Contract default: stores offer pickup.
    public var offersPickupByDefault: Bool { self == .store }
}

public enum ShippingService: String, CaseIterable, Sendable, Codable {
    case standard, express, sameDay = "same_day"
}

public enum OrderService: String, CaseIterable, Sendable, Codable {
    case standard, express, sameDay = "same_day", pickup
}

public enum Tender: String, CaseIterable, Sendable, Codable {
    case card, cash, giftCard = "gift_card", loyalty, marketplace
}

public enum Disposition: String, CaseIterable, Sendable, Codable {
    case restock, damaged, vendorReturn = "vendor_return", liquidate
}

public enum OrderStatus: String, CaseIterable, Sendable, Codable {
    case open, released, cancelled
}

public enum Severity: String, CaseIterable, Sendable, Codable {
    case low, medium, high
}

public enum AnomalyStatus: String, CaseIterable, Sendable, Codable {
    case open, acknowledged, resolved
}

/// The anomaly kinds named by the anomaly issue; the generator injects each of them.
public enum AnomalyKind: String, CaseIterable, Sendable, Codable {
    case priceBelowCost = "price_below_cost"
    case priceOverride = "price_override"
    case channelPriceConflict = "channel_price_conflict"
    case promoOutsideWindow = "promo_outside_window"
    case refundExceedsSale = "refund_exceeds_sale"
    case refundWithoutSale = "refund_without_sale"
    case refundTenderMismatch = "refund_tender_mismatch"
    case returnRateOutlier = "return_rate_outlier"
    case salesSpike = "sales_spike"
    case salesDrop = "sales_drop"
    case inventoryMismatch = "inventory_mismatch"
    case settlementMismatch = "settlement_mismatch"
    case marginLeakage = "margin_leakage"
}
