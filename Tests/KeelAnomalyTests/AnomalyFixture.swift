import Foundation
import GRDB
import KeelAnomaly
import KeelCore
import KeelStore
import KeelTestSupport

/// The set-up the hand-made detector tests share: a temporary folder with the contract files —
/// skus in one category (cost 6.00, price 10.00), stores, a chain-wide store list price of 10.00
/// from `pricedFrom` — plus the files a test writes itself; then one import and one detection run
/// into a fresh database, and the anomalies of one kind read back.
struct AnomalyFixture {
    static let salesHeader =
        "transaction_id,line,timestamp,channel,location_id,sku,qty,unit_price,discount,promo_id,customer_id,tender,order_id,cashier_id\n"

    let dir: TemporaryDirectory

    init(_ label: String, skus: [String] = ["A"], stores: [String] = ["S1"], pricedFrom: String = "2025-01-01") {
        dir = TemporaryDirectory(label)
        _ = dir.write("items.csv", "sku,category,department,unit_cost,unit_price\n" + skus.map { "\($0),Toys,Kids,6.00,10.00\n" }.joined())
        _ = dir.write("locations.csv", "location_id,type,latitude,longitude\n" + stores.map { "\($0),store,0,0\n" }.joined())
        _ = dir.write(
            "prices.csv", "sku,channel,location_id,price,start_date,end_date\n" + skus.map { "\($0),store,,10.00,\(pricedFrom),\n" }.joined())
    }

    func write(_ name: String, _ text: String) { _ = dir.write(name, text) }

    /// Imports the folder into a fresh database and runs every detector once.
    func detect(_ configuration: AnomalyConfiguration = AnomalyConfiguration()) throws -> KeelDatabase {
        let db = try KeelDatabase(path: dir.path + "/keel.sqlite")
        _ = try db.importFiles([dir.path])
        _ = try AnomalyDetection.run(db, configuration: configuration)
        return db
    }

    /// One anomaly as the tests check it.
    struct Found: Equatable, CustomStringConvertible {
        var location: String?, sku: String?, date: String?, channel: String?, category: String?, transaction: String?
        var amount: Double
        var description: String { "\(location ?? "-") \(sku ?? "-") \(date ?? "-") \(transaction ?? "-") \(amount)" }
    }

    /// The anomalies of `kind`, ordered by location, sku and date.
    func found(_ db: KeelDatabase, _ kind: String) throws -> [Found] {
        try db.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT l.location_id, i.sku, date(a.day * 86400, 'unixepoch'), a.channel, a.category, a.transaction_id, a.amount_at_risk
                    FROM anomalies a LEFT JOIN locations l ON l.location_key = a.location_key LEFT JOIN items i ON i.item_key = a.item_key
                    WHERE a.kind = ? ORDER BY l.location_id, i.sku, a.day
                    """, arguments: [kind]
            ).map { Found(location: $0[0], sku: $0[1], date: $0[2], channel: $0[3], category: $0[4], transaction: $0[5], amount: $0[6]) }
        }
    }
}
