import KeelCore

/// One detected anomaly before it is written: what it is, how strong, the money at risk, the ids
/// of its evidence rows and a plain-words explanation.
///
/// `fingerprint` identifies the event under its kind (e.g. `price_override|S0000123|2`); the
/// `anomalies` table keeps it UNIQUE, so a re-run refreshes an anomaly instead of duplicating it.
public struct AnomalyFinding: Sendable, Equatable {
    public var kind: AnomalyKind
    public var severity: Severity
    public var score: Double
    public var amountAtRisk: Double
    public var transactionId: String?
    public var returnId: String?
    public var settlementId: String?
    public var locationKey: Int64?
    public var itemKey: Int64?
    public var channel: String?
    public var category: String?
    public var cashierId: String?
    public var customerId: String?
    public var day: Day?
    public var explanation: String
    public var fingerprint: String

    public init(
        kind: AnomalyKind, severity: Severity, score: Double, amountAtRisk: Double,
        transactionId: String? = nil, returnId: String? = nil, settlementId: String? = nil,
        locationKey: Int64? = nil, itemKey: Int64? = nil, channel: String? = nil, category: String? = nil,
        cashierId: String? = nil, customerId: String? = nil, day: Day? = nil, explanation: String, fingerprint: String
    ) {
        self.kind = kind; self.severity = severity; self.score = score; self.amountAtRisk = amountAtRisk
        self.transactionId = transactionId; self.returnId = returnId; self.settlementId = settlementId
        self.locationKey = locationKey; self.itemKey = itemKey; self.channel = channel; self.category = category
        self.cashierId = cashierId; self.customerId = customerId; self.day = day
        self.explanation = explanation; self.fingerprint = fingerprint
    }

    /// The fingerprint of an event: the kind and the parts of the event's key, joined by `|`.
    public static func fingerprint(_ kind: AnomalyKind, _ parts: [String]) -> String {
        ([kind.rawValue] + parts).joined(separator: "|")
    }
}

/// Money and numbers in explanations: two decimals.
func money(_ x: Double) -> String {
    let cents = (x * 100).rounded()
    let sign = cents < 0 ? "-" : ""
    let a = abs(cents)
    let whole = Int(a / 100), frac = Int(a.truncatingRemainder(dividingBy: 100))
    return sign + String(whole) + "." + (frac < 10 ? "0" : "") + String(frac)
}

func percent(_ x: Double) -> String {
    let tenths = (x * 1000).rounded() / 10
    return (tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)) + "%"
}

func number(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : money(x)
}
