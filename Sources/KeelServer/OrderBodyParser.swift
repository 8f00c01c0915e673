import Foundation
import KeelCore
import KeelSourcing
import KeelStore

/// A one-pass reader for the order body of `POST /v1/sourcing/options` and `…/reserve`: the
/// router's hot path, where `JSONDecoder` cost more than the stock read.
///
/// It accepts only bodies it can read with certainty — known keys, each once, of the right JSON
/// type; strings of printable ASCII without escapes; integers without fraction or exponent;
/// known enumeration values and valid dates — and returns nil for anything else. The caller then
/// decodes the same bytes with `JSONDecoder`, which either accepts them (an escaped string, an
/// unknown key it ignores, …) or produces the precise error. So an answer never depends on
/// which reader took the body (`OrderBodyParserTests` compares both on valid and invalid bodies).
struct OrderBodyParser {
    private let p: UnsafeBufferPointer<UInt8>
    private var i = 0

    private init(_ p: UnsafeBufferPointer<UInt8>) { self.p = p }

    static func parse(_ bytes: UnsafeRawBufferPointer) -> KeelAPI.OrderBody? {
        var reader = OrderBodyParser(bytes.bindMemory(to: UInt8.self))
        guard let body = reader.body() else { return nil }
        reader.skipSpace()
        return reader.i == reader.p.count ? body : nil
    }

    private static let quote = UInt8(ascii: "\""), colon = UInt8(ascii: ":"), comma = UInt8(ascii: ",")

    private mutating func body() -> KeelAPI.OrderBody? {
        var orderId: String?, lines: [SourcingOrder.Line]?, zone: String?, service: OrderService?
        var promise: Day?, pickup: String?, k: Int?, channel: Channel?
        var seen: UInt8 = 0
        let ok = object { key, parser in
            func once(_ bit: UInt8) -> Bool { defer { seen |= bit }; return seen & bit == 0 }
            switch key {
            case "order_id":
                guard once(1) else { return false }
                if parser.null() { return true }
                orderId = parser.string(); return orderId != nil
            case "lines": guard once(2) else { return false }; lines = parser.lines(); return lines != nil
            case "ship_to_zone": guard once(4) else { return false }; zone = parser.string(); return zone != nil
            case "service":
                guard once(8), let s = parser.string() else { return false }
                service = OrderService(rawValue: s); return service != nil
            case "promise_date":
                guard once(16) else { return false }
                if parser.null() { return true }
                promise = parser.string().flatMap { Day($0) }; return promise != nil
            case "pickup_location_id":
                guard once(32) else { return false }
                if parser.null() { return true }
                pickup = parser.string(); return pickup != nil
            case "k":
                guard once(64) else { return false }
                if parser.null() { return true }
                k = parser.integer(); return k != nil
            case "channel":
                guard once(128) else { return false }
                if parser.null() { return true }
                channel = parser.string().flatMap { Channel(rawValue: $0) }; return channel != nil
            default: return false
            }
        }
        guard ok, let lines, let zone, let service else { return nil }
        return KeelAPI.OrderBody(
            orderId: orderId, lines: lines, shipToZone: zone, service: service, promiseDate: promise, pickupLocationId: pickup, k: k,
            channel: channel)
    }

    private mutating func lines() -> [SourcingOrder.Line]? {
        skipSpace()
        guard i < p.count, p[i] == UInt8(ascii: "[") else { return nil }
        i += 1
        var out: [SourcingOrder.Line] = []
        skipSpace()
        if i < p.count, p[i] == UInt8(ascii: "]") { i += 1; return out }
        while true {
            var line: Int?, sku: String?, qty: Double?
            let ok = object { key, parser in
                switch key {
                case "line": guard line == nil else { return false }; line = parser.integer(); return line != nil
                case "sku": guard sku == nil else { return false }; sku = parser.string(); return sku != nil
                case "qty": guard qty == nil else { return false }; qty = parser.number(); return qty != nil
                default: return false
                }
            }
            guard ok, let line, let sku, let qty else { return nil }
            out.append(.init(line: line, sku: sku, qty: qty))
            skipSpace()
            guard i < p.count else { return nil }
            if p[i] == Self.comma { i += 1; continue }
            if p[i] == UInt8(ascii: "]") { i += 1; return out }
            return nil
        }
    }

    /// `{ "key": value, … }`; `member` reads the value and says whether it was acceptable.
    private mutating func object(_ member: (String, inout OrderBodyParser) -> Bool) -> Bool {
        skipSpace()
        guard i < p.count, p[i] == UInt8(ascii: "{") else { return false }
        i += 1
        skipSpace()
        if i < p.count, p[i] == UInt8(ascii: "}") { i += 1; return true }
        while true {
            guard let key = string() else { return false }
            skipSpace()
            guard i < p.count, p[i] == Self.colon else { return false }
            i += 1
            guard member(key, &self) else { return false }
            skipSpace()
            guard i < p.count else { return false }
            if p[i] == Self.comma { i += 1; continue }
            if p[i] == UInt8(ascii: "}") { i += 1; return true }
            return false
        }
    }

    /// Consumes `null` if it comes next (an optional field left nil).
    private mutating func null() -> Bool {
        skipSpace()
        guard p.count - i >= 4, p[i] == UInt8(ascii: "n"), p[i + 1] == UInt8(ascii: "u"), p[i + 2] == UInt8(ascii: "l"), p[i + 3] == UInt8(ascii: "l")
        else { return false }
        i += 4
        return true
    }

    /// A string of printable ASCII without escapes (nil for anything else).
    private mutating func string() -> String? {
        skipSpace()
        guard i < p.count, p[i] == Self.quote else { return nil }
        let start = i + 1
        var j = start
        while j < p.count {
            let c = p[j]
            if c == Self.quote { break }
            guard c >= 0x20, c < 0x80, c != UInt8(ascii: "\\") else { return nil }
            j += 1
        }
        guard j < p.count else { return nil }
        i = j + 1
        return String(decoding: UnsafeBufferPointer(rebasing: p[start..<j]), as: UTF8.self)
    }

    /// An integer without fraction or exponent, at most 18 digits.
    private mutating func integer() -> Int? {
        skipSpace()
        var j = i
        let negative = j < p.count && p[j] == UInt8(ascii: "-")
        if negative { j += 1 }
        let digitsStart = j
        var v = 0
        while j < p.count, p[j] >= UInt8(ascii: "0"), p[j] <= UInt8(ascii: "9") {
            v = v * 10 + Int(p[j] - UInt8(ascii: "0"))
            j += 1
        }
        let n = j - digitsStart
        guard n >= 1, n <= 18, n == 1 || p[digitsStart] != UInt8(ascii: "0") else { return nil }
        if j < p.count, p[j] == UInt8(ascii: ".") || p[j] == UInt8(ascii: "e") || p[j] == UInt8(ascii: "E") { return nil }
        i = j
        return negative ? -v : v
    }

    /// A JSON number without exponent, converted by `strtod` (correctly rounded, as `JSONDecoder`).
    private mutating func number() -> Double? {
        skipSpace()
        let start = i
        var j = i
        func digits() -> Int {
            let s = j
            while j < p.count, p[j] >= UInt8(ascii: "0"), p[j] <= UInt8(ascii: "9") { j += 1 }
            return j - s
        }
        if j < p.count, p[j] == UInt8(ascii: "-") { j += 1 }
        let intStart = j
        let n = digits()
        guard n >= 1, n == 1 || p[intStart] != UInt8(ascii: "0"), n <= 30 else { return nil }
        if j < p.count, p[j] == UInt8(ascii: ".") {
            j += 1
            guard digits() >= 1 else { return nil }
        }
        // Exponents are left to JSONDecoder (it refuses some that RFC 8259 allows, such as 0e5).
        if j < p.count, p[j] == UInt8(ascii: "e") || p[j] == UInt8(ascii: "E") { return nil }
        guard j - start <= 64 else { return nil }
        // strtod needs a terminated copy of the token (the buffer is not terminated).
        let v = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 65) { text in
            for k in start..<j { text[k - start] = CChar(bitPattern: p[k]) }
            text[j - start] = 0
            return strtod(text.baseAddress!, nil)
        }
        guard v.isFinite else { return nil }
        i = j
        return v
    }

    private mutating func skipSpace() {
        while i < p.count, p[i] == 0x20 || p[i] == 0x0A || p[i] == 0x0D || p[i] == 0x09 { i += 1 }
    }
}
