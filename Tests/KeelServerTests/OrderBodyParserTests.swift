import Foundation
import KeelCore
import KeelSourcing
import Testing

@testable import KeelServer

/// The order-body fast reader against Foundation's `JSONDecoder`: whatever it accepts it must read
/// exactly as `JSONDecoder` does, and whatever `JSONDecoder` refuses it must decline (so the error
/// comes from `JSONDecoder`, as before).
@Suite struct OrderBodyParserTests {
    static func fast(_ text: String) -> KeelAPI.OrderBody? {
        Array(text.utf8).withUnsafeBytes { OrderBodyParser.parse($0) }
    }

    static func foundation(_ text: String) -> KeelAPI.OrderBody? {
        try? JSONDecoder().decode(KeelAPI.OrderBody.self, from: Data(text.utf8))
    }

    /// Bodies the router sends: the fast reader takes them, with `JSONDecoder`'s values.
    @Test func readsOrdinaryBodiesAsJSONDecoderDoes() throws {
        let bodies = [
            #"{"order_id":"B0","lines":[{"line":1,"sku":"SKU00014","qty":1}],"ship_to_zone":"Z16","service":"standard","promise_date":"2024-09-06"}"#,
            #"{"lines":[{"line":1,"sku":"A","qty":2.5},{"line":2,"sku":"B","qty":10.000},{"line":3,"sku":"C","qty":0.1}],"ship_to_zone":"Z1","service":"express"}"#,
            #"  { "order_id" : null , "lines" : [ ] , "ship_to_zone" : "Z1" , "service" : "pickup" , "pickup_location_id" : "S1" , "k" : 5 , "channel" : "call_center" }  "#,
            "{\n\t\"lines\": [{\"qty\": 3, \"sku\": \"X-1/2\", \"line\": -7}],\r\n \"service\": \"same_day\", \"ship_to_zone\": \"Z\", \"promise_date\": null, \"k\": null, \"channel\": null, \"pickup_location_id\": null}",
            #"{"lines":[{"line":10,"sku":"S","qty":-0.0}],"ship_to_zone":"","service":"standard","k":0,"promise_date":"2024-02-29"}"#,
            #"{"lines":[{"line":1,"sku":"S","qty":123456789012345678901234567890}],"ship_to_zone":"Z","service":"standard"}"#,
            #"{"lines":[{"line":1,"sku":"S","qty":0.000000000000000000000000000001}],"ship_to_zone":"Z","service":"standard","k":-3}"#,
            #"{"lines":[{"line":1,"sku":"S","qty":0.30000000000000004}],"ship_to_zone":"Z","service":"standard","channel":"web"}"#,
        ]
        for body in bodies {
            let expected = try #require(Self.foundation(body), "JSONDecoder refused \(body)")
            let got = try #require(Self.fast(body), "the fast reader declined \(body)")
            #expect(got == expected, "\(body)")
            #expect(got.lines.map(\.qty.bitPattern) == expected.lines.map(\.qty.bitPattern), "\(body)")
        }
        let parsed = try #require(Self.fast(bodies[1]))
        #expect(parsed.lines.map(\.qty) == [2.5, 10, 0.1] && parsed.service == .express && parsed.orderId == nil)
    }

    /// Bodies `JSONDecoder` refuses (each must be declined) and bodies it accepts in ways the
    /// fast reader leaves to it (declined, then decoded by `JSONDecoder` as before).
    @Test func declinesWhatItCannotReadWithCertainty() {
        let refused = [
            #"{"lines": [{"line": 1, "sku": "B""#,
            #"{"ship_to_zone":"Z1","service":"standard"}"#,
            #"{"lines":[{"line":1,"sku":"A","qty":1}],"ship_to_zone":"Z1","service":"drone"}"#,
            #"{"lines":[{"line":1,"sku":"A","qty":1}],"ship_to_zone":"Z1","service":"standard","promise_date":"2024-02-30"}"#,
            #"{"lines":[{"line":1.5,"sku":"A","qty":1}],"ship_to_zone":"Z1","service":"standard"}"#,
            #"{"lines":[{"line":1,"sku":"A","qty":"1"}],"ship_to_zone":"Z1","service":"standard"}"#,
            #"{"lines":[{"line":1,"sku":"A"}],"ship_to_zone":"Z1","service":"standard"}"#,
            #"{"lines":[{"line":1,"sku":"A","qty":01}],"ship_to_zone":"Z1","service":"standard"}"#,
            #"{"lines":[{"line":1,"sku":"A","qty":1.}],"ship_to_zone":"Z1","service":"standard"}"#,
            #"{"lines":[{"line":1,"sku":"A","qty":1}],"ship_to_zone":null,"service":"standard"}"#,
            #"{"lines":[{"line":1,"sku":"A","qty":1}],"ship_to_zone":"Z1","service":"standard"} x"#,
            #"{"lines":[{"line":1,"sku":"A","qty":1}],"ship_to_zone":"Z1","service":"standard","k":"3"}"#,
            #"{"lines":[{"line":1,"sku":"A","qty":1}],"ship_to_zone":"Z1","service":"standard","channel":"fax"}"#,
            #"[{"lines":[]}]"#, "", "null",
        ]
        for body in refused {
            #expect(Self.foundation(body) == nil, "JSONDecoder accepted <<\(body)>>")
            #expect(Self.fast(body) == nil, "the fast reader accepted \(body)")
        }
        let leftToFoundation = [
            #"{"lines":[{"line":1,"sku":"A","qty":1},],"ship_to_zone":"Z1","service":"standard"}"#,
            #"{"lines":[{"line":1,"sku":"A","qty":1e1}],"ship_to_zone":"Z1","service":"standard"}"#,
            #"{"lines":[{"line":1,"sku":"A","qty":4.9e-324}],"ship_to_zone":"Z1","service":"standard"}"#,
            #"{"lines":[{"line":1,"sku":"A\u0042","qty":1}],"ship_to_zone":"Z1","service":"standard"}"#,
            #"{"lines":[{"line":1,"sku":"Ä","qty":1}],"ship_to_zone":"Z1","service":"standard"}"#,
            #"{"lines":[{"line":1,"sku":"A","qty":1,"note":"gift"}],"ship_to_zone":"Z1","service":"standard","extra":[1,{"a":true}]}"#,
        ]
        for body in leftToFoundation {
            #expect(Self.foundation(body) != nil, "JSONDecoder refused \(body)")
            #expect(Self.fast(body) == nil, "the fast reader accepted \(body)")
        }
        // JSONDecoder refuses 0e5 (RFC 8259 allows it); exponents are left to it.
        #expect(Self.foundation(#"{"lines":[{"line":1,"sku":"A","qty":0e5}],"ship_to_zone":"Z1","service":"standard"}"#) == nil)
        #expect(Self.fast(#"{"lines":[{"line":1,"sku":"A","qty":0e5}],"ship_to_zone":"Z1","service":"standard"}"#) == nil)
        // A key given twice is declined (JSONDecoder's choice between the two is its own).
        #expect(Self.fast(#"{"lines":[],"ship_to_zone":"Z1","ship_to_zone":"Z2","service":"standard"}"#) == nil)
        #expect(Self.fast(#"{"lines":[{"line":1,"line":2,"sku":"A","qty":1}],"ship_to_zone":"Z1","service":"standard"}"#) == nil)
    }

    /// Seeded random bodies from the router's shapes with random damage: never a disagreement.
    @Test func neverDisagreesWithJSONDecoderOnDamagedBodies() {
        var rng = SeededRandom(seed: 11)
        let base = Array(#"{"order_id":"R7","lines":[{"line":1,"sku":"SKU9","qty":2},{"line":2,"sku":"SKU3","qty":0.5}],"ship_to_zone":"Z4","service":"express","promise_date":"2025-01-31","k":2}"#.utf8)
        let alphabet = Array(#"{}[]":,.-+eE0123456789 nulltrfasz\"#.utf8)
        var accepted = 0
        for _ in 0..<3000 {
            var bytes = base
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if let got = Self.fast(text) {
                accepted += 1
                #expect(got == Self.foundation(text), "<<\(text)>>")
            }
        }
        #expect(accepted > 100)  // the damage often leaves a valid body (a digit for a digit)
    }
}
