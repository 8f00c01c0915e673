import Foundation
import KeelCore
import KeelDatasets
import KeelTestSupport
import Testing

@Suite("Retailer generator")
struct RetailerGeneratorTests {
    static let small = RetailerConfiguration(stores: 3, dcs: 1, skus: 40, days: 90, seed: 7)

    static let files = ["items.csv", "locations.csv", "suppliers.csv", "zones.csv", "shipping_rates.csv", "transfer_lanes.csv",
                        "sales.csv", "returns.csv", "inventory.csv", "prices.csv", "promotions.csv", "purchase_orders.csv",
                        "transfers.csv", "settlements.csv", "orders.csv", "anomalies_truth.csv"]

    @Test func sameSeedGivesIdenticalFiles() throws {
        let a = TemporaryDirectory(), b = TemporaryDirectory(), c = TemporaryDirectory()
        _ = try RetailerGenerator.generate(Self.small, to: a.path)
        _ = try RetailerGenerator.generate(Self.small, to: b.path)
        var other = Self.small
        other.seed = 8
        _ = try RetailerGenerator.generate(other, to: c.path)
        for f in Self.files {
            let x = try Data(contentsOf: URL(fileURLWithPath: a.file(f)))
            let y = try Data(contentsOf: URL(fileURLWithPath: b.file(f)))
            #expect(x == y, "\(f) differs between two runs with the same seed")
        }
        let s1 = try Data(contentsOf: URL(fileURLWithPath: a.file("sales.csv")))
        let s3 = try Data(contentsOf: URL(fileURLWithPath: c.file("sales.csv")))
        #expect(s1 != s3)
    }

    @Test func rejectsInvalidConfiguration() {
        #expect(throws: GeneratorError.self) { try RetailerGenerator.generate(RetailerConfiguration(stores: 0), to: "/tmp/never") }
        #expect(throws: GeneratorError.self) { try RetailerGenerator.generate(RetailerConfiguration(dcs: 0), to: "/tmp/never") }
        #expect(throws: GeneratorError.self) { try RetailerGenerator.generate(RetailerConfiguration(skus: 9), to: "/tmp/never") }
        #expect(throws: GeneratorError.self) { try RetailerGenerator.generate(RetailerConfiguration(days: 27), to: "/tmp/never") }
    }
}
