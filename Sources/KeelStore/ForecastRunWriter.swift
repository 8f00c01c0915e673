import GRDB
import KeelCore

/// One forecast row for the database: a demand series (or a free `uniqueId`), a day, the mean,
/// the quantiles in the run's level order, and the model that produced it.
public struct ForecastRow: Sendable {
    public var channel: Channel?
    public var locationKey: Int64?
    public var itemKey: Int64?
    public var uniqueId: String?
    public var day: Day
    public var yhat: Double
    public var quantiles: [Double]
    public var model: String
    public init(channel: Channel?, locationKey: Int64?, itemKey: Int64?, uniqueId: String?, day: Day, yhat: Double, quantiles: [Double], model: String) {
        self.channel = channel; self.locationKey = locationKey; self.itemKey = itemKey; self.uniqueId = uniqueId
        self.day = day; self.yhat = yhat; self.quantiles = quantiles; self.model = model
    }
}

extension KeelDatabase {
    /// The demand history as of a day: every series cut at `asOf` (default: the history's end).
    public func loadDemand(asOf: Day? = nil) throws -> DemandPanel {
        var panel = try pool.read { try DemandPanel.load($0) }
        guard let asOf, let end = panel.endDay, asOf < end else { return panel }
        var cut = DemandPanel()
        cut.endDay = asOf
        for s in 0..<panel.count where panel.starts[s] <= asOf {
            let r = panel.range(s)
            let n = asOf - panel.starts[s] + 1
            cut.keys.append(panel.keys[s]); cut.starts.append(panel.starts[s])
            cut.units.append(contentsOf: panel.units[r.lowerBound..<(r.lowerBound + n)])
            cut.price.append(contentsOf: panel.price[r.lowerBound..<(r.lowerBound + n)])
            cut.flags.append(contentsOf: panel.flags[r.lowerBound..<(r.lowerBound + n)])
            cut.offsets.append(cut.units.count)
        }
        panel = cut
        return panel
    }

    /// Writes a whole forecast run in one transaction: the run row, its quantile levels and every
    /// forecast row (quantiles packed as little-endian Float64 in level order). Returns the run id.
    /// `finalTiming`, when given, is called after the rows are inserted and its (key, seconds) is
    /// added to the run's timings in the same transaction (e.g. the write's own duration).
    public func writeForecastRun(startedAt: String, asOf: Day?, parameters: String, timings: String, notes: String?, levels: [Double],
                                 rows: [ForecastRow], finalTiming: (() -> (String, Double))? = nil) throws -> Int64 {
        try pool.write { db in
            let run = try RunLog.record(db, kind: "forecast", status: "succeeded", startedAt: startedAt, asOf: asOf,
                                        parameters: parameters, timings: timings, rowsWritten: rows.count, error: nil)
            try db.execute(sql: "UPDATE runs SET notes = ? WHERE run_id = ?", arguments: [notes, run])
            for (i, level) in levels.enumerated() {
                try db.execute(sql: "INSERT INTO forecast_levels(run_id, position, level) VALUES (?, ?, ?)", arguments: [run, i, level])
            }
            let insert = try RawStatement(db, """
                INSERT INTO forecasts(run_id, unique_id, channel, location_key, item_key, day, yhat, quantiles, model)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for r in rows {
                insert.reset()
                insert.bind(1, run)
                if let u = r.uniqueId { insert.bind(2, u) } else { insert.bindNull(2) }
                if let c = r.channel { insert.bind(3, c.rawValue) } else { insert.bindNull(3) }
                if let l = r.locationKey { insert.bind(4, l) } else { insert.bindNull(4) }
                if let i = r.itemKey { insert.bind(5, i) } else { insert.bindNull(5) }
                insert.bind(6, Int64(r.day.rawValue))
                insert.bind(7, r.yhat)
                r.quantiles.withUnsafeBytes { insert.bind(8, blob: $0) }
                insert.bind(9, r.model)
                try insert.step()
            }
            if let (key, seconds) = finalTiming?() {
                try db.execute(sql: "UPDATE runs SET timings = json_set(COALESCE(timings, '{}'), '$.' || ?, ?) WHERE run_id = ?",
                               arguments: [key, seconds, run])
            }
            return run
        }
    }

    /// Records a failed run (its results were never written).
    public func recordFailedRun(kind: String, startedAt: String, asOf: Day?, parameters: String, error: String) throws {
        _ = try pool.write { db in
            try RunLog.record(db, kind: kind, status: "failed", startedAt: startedAt, asOf: asOf, parameters: parameters,
                              timings: nil, rowsWritten: 0, error: String(error.prefix(4000)))
        }
    }
}
