import GRDB
import KeelCore
import KeelStore

/// The exception queue: moves an anomaly through open → acknowledged → resolved.
///
/// Legal: open → acknowledged, acknowledged → resolved, and open → resolved (a case closed at
/// first sight, e.g. a known false positive, needs no separate acknowledgement). Nothing moves
/// back, and a status cannot be set to itself. An unknown id or an illegal change throws
/// `AnomalyError` and changes nothing. Reusable by the HTTP API.
extension AnomalyStatus {
    public func canMove(to next: AnomalyStatus) -> Bool {
        switch (self, next) {
        case (.open, .acknowledged), (.acknowledged, .resolved), (.open, .resolved): return true
        default: return false
        }
    }
}

public enum AnomalyQueue {
    public struct Change: Sendable, Codable, Equatable {
        public var anomalyId: Int64
        public var kind: String
        public var from: AnomalyStatus
        public var to: AnomalyStatus
        public var note: String?
        public var changedAt: String
    }

    @discardableResult
    public static func setStatus(_ database: KeelDatabase, id: Int64, to next: AnomalyStatus, note: String? = nil) throws -> Change {
        try database.pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT status, kind FROM anomalies WHERE anomaly_id = ?", arguments: [id]) else {
                throw AnomalyError.unknownAnomaly(id)
            }
            let current = AnomalyStatus(rawValue: row[0]) ?? .open
            guard current.canMove(to: next) else {
                throw AnomalyError.illegalTransition(id: id, from: current.rawValue, to: next.rawValue)
            }
            let now = RunLog.now()
            try db.execute(
                sql: "UPDATE anomalies SET status = ?, status_note = ?, status_changed_at = ? WHERE anomaly_id = ?",
                arguments: [next.rawValue, note, now, id])
            return Change(anomalyId: id, kind: row[1], from: current, to: next, note: note, changedAt: now)
        }
    }
}
