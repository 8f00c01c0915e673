import Dispatch
import Foundation
import KeelStore

/// Verified API keys, remembered for a short time so the hot endpoints do not read `api_keys`
/// on every request (the key lookup was a tenth of the options endpoint's CPU time).
///
/// Only keys found and not revoked are remembered, each for `ttl` seconds from its lookup;
/// unknown and revoked keys are looked up every time (a flood of bad keys cannot fill it). A
/// key revoked with `keel keys revoke` therefore stops working within `ttl` (1 s by default;
/// 0 turns the cache off).
final class APIKeyCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (record: APIKeyRecord, expires: UInt64)] = [:]
    private let ttl: UInt64
    /// At most this many keys are remembered (the table is emptied when full).
    static let capacity = 4096

    init(seconds: Double) {
        precondition(seconds >= 0, "a key cache time cannot be negative")
        ttl = UInt64(seconds * 1e9)
    }

    /// The key's record as of at most `ttl` ago, or nil for an unknown key.
    func record(hash: String, _ database: KeelDatabase) throws -> APIKeyRecord? {
        let now = DispatchTime.now().uptimeNanoseconds
        if ttl > 0, let hit = lock.withLock({ entries[hash] }), hit.expires > now { return hit.record }
        let record = try database.apiKey(hash: hash)
        if ttl > 0 {
            lock.withLock {
                if let record, record.revokedAt == nil {
                    if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
                    entries[hash] = (record, now + ttl)
                } else {
                    entries[hash] = nil
                }
            }
        }
        return record
    }
}
