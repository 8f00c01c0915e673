import Foundation
import KeelCore
import KeelSourcing
import KeelStore

/// The sourcing network every request shares, rebuilt only when the data behind it changes.
///
/// `SourcingService` reads the network (locations, items, zones, rates, lanes) and the as-of day
/// once. The holder keeps the id of the latest successful import run it was built at; each call
/// to `current()` compares it with the database's (one indexed lookup; `options` makes the check
/// inside its stock read) and, after a newer import,
/// builds a fresh service and swaps it in. A request keeps the service it started with, so it
/// sees one consistent network; stock is never cached (every call reads it).
final class SourcingHolder: @unchecked Sendable {
    private let database: KeelDatabase
    private let asOf: Day?
    private let signals: SignalConfiguration
    private let lock = NSLock()
    private var service: SourcingService
    private var importRun: Int64?

    init(database: KeelDatabase, asOf: Day?, signals: SignalConfiguration = .off) throws {
        self.signals = signals
        self.database = database
        self.asOf = asOf
        service = try SourcingService(database: database, asOf: asOf, signals: signals)
        importRun = service.importRun
    }

    /// The service for the data as it is now.
    func current() throws -> SourcingService {
        let run = try database.latestImportRun()
        if let s = lock.withLock({ importRun == run ? service : nil }) { return s }
        return try rebuild()
    }

    /// The options for `order` on the network as it is now: one read transaction on the hot
    /// path (the stock and the network-version check together); a rebuild after an import.
    func options(_ order: SourcingOrder, k: Int) throws -> [SourcingPlan] {
        if let plans = try lock.withLock({ service }).optionsIfCurrent(order, k: k) { return plans }
        return try rebuild().options(order, k: k)
    }

    private func rebuild() throws -> SourcingService {
        let fresh = try SourcingService(database: database, asOf: asOf, signals: signals)
        lock.withLock {
            // Another request may have rebuilt it meanwhile; the newest import wins.
            if (importRun ?? -1) <= (fresh.importRun ?? -1) { service = fresh; importRun = fresh.importRun }
        }
        return fresh
    }
}
