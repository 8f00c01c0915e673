import Foundation
import KeelCore
import KeelSourcing
import KeelStore

/// The sourcing network every request shares, rebuilt only when the data behind it changes.
///
/// `SourcingService` reads the network (locations, items, zones, rates, lanes) and the as-of day
/// once. The holder keeps the id of the latest successful import run it was built at; each call
/// to `current()` compares it with the database's (one indexed lookup) and, after a newer import,
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
        let run = try database.latestImportRun()
        service = try SourcingService(database: database, asOf: asOf, signals: signals)
        importRun = run
    }

    /// The service for the data as it is now.
    func current() throws -> SourcingService {
        let run = try database.latestImportRun()
        if let s = lock.withLock({ importRun == run ? service : nil }) { return s }
        let fresh = try SourcingService(database: database, asOf: asOf, signals: signals)
        lock.withLock {
            // Another request may have rebuilt it meanwhile; the newest import wins.
            if (importRun ?? -1) <= (run ?? -1) { service = fresh; importRun = run }
        }
        return fresh
    }
}
