import KeelCore
import Testing

@Suite struct DecimalParserTests {
    func parse(_ s: String) -> DecimalParser.Result {
        var b = Array(s.utf8)
        return b.withUnsafeMutableBufferPointer { DecimalParser.parse(UnsafeBufferPointer($0)) }
    }

    @Test(arguments: ["0", "12", "-3.5", "0.1", "19.99", "+7", "1e3", "2.5E-2", "123456789012.34", "0.000001"])
    func matchesTheStandardLibrary(text: String) {
        // The reference is Swift's own correctly rounded Double(String).
        #expect(parse(text) == .value(Double(text)!))
    }

    @Test(arguments: ["", "-", "1.2.3", "12a", "1,5", "NaN", "inf", " 1", "1e", "."])
    func invalidText(text: String) {
        #expect(parse(text) == .invalid)
    }

    @Test(arguments: ["1e400", "1000000000000000", "-99999999999999999999999"])
    func tooLargeToStore(text: String) {
        #expect(parse(text) == .outOfRange)
    }

    @Test func integers() {
        var b = Array("42".utf8)
        #expect(b.withUnsafeMutableBufferPointer { DecimalParser.parseInteger(UnsafeBufferPointer($0)) } == .value(42))
        b = Array("4.5".utf8)
        #expect(b.withUnsafeMutableBufferPointer { DecimalParser.parseInteger(UnsafeBufferPointer($0)) } == .invalid)
        b = Array("99999999999999999999".utf8)
        #expect(b.withUnsafeMutableBufferPointer { DecimalParser.parseInteger(UnsafeBufferPointer($0)) } == .outOfRange)
    }
}
