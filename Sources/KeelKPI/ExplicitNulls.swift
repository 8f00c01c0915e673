/// Encodes every stored property under its own name, writing `null` for an absent optional
/// (synthesised `Encodable` leaves such keys out), so every KPI object has the same keys in JSON.
protocol ExplicitNulls: Encodable {}

struct PropertyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension ExplicitNulls {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: PropertyKey.self)
        for child in Mirror(reflecting: self).children {
            guard let label = child.label else { continue }
            let key = PropertyKey(stringValue: label)
            let value = child.value
            let m = Mirror(reflecting: value)
            if m.displayStyle == .optional, m.children.isEmpty {
                try c.encodeNil(forKey: key)
            } else if let e = value as? Encodable {
                try c.encode(e, forKey: key)
            } else {
                throw EncodingError.invalidValue(value, .init(codingPath: c.codingPath + [key], debugDescription: "not encodable"))
            }
        }
    }
}
