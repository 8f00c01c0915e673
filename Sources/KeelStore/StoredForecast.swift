import GRDB
import KeelCore

/// One forecast run read back from the database in contiguous buffers: for series `s`
/// (a channel × location × item), `horizon` daily means in `yhat[s*horizon ..< (s+1)*horizon]` and,
/// for level `j`, quantiles in `quantiles[(s*levels.count + j)*horizon ..< …+horizon]`.
public struct StoredForecast: Sendable {
    public struct Key: Hashable, Sendable {
        public var channel: Channel
        public var locationKey: Int64
        public var itemKey: Int64
    }
    public var runId: Int64
    /// The run's as-of day: the forecast covers `asOf + 1 … asOf + horizon`.
    public var asOf: Day
    public var horizon: Int
    public var levels: [Double]
    public var keys: [Key] = []
    public var yhat: [Double] = []
    public var quantiles: [Double] = []
    public var models: [String] = []

    public var count: Int { keys.count }
    public func mean(_ s: Int) -> ArraySlice<Double> { yhat[(s * horizon)..<((s + 1) * horizon)] }
    public func quantile(_ s: Int, level j: Int) -> ArraySlice<Double> {
        let start = (s * levels.count + j) * horizon
        return quantiles[start..<(start + horizon)]
    }
}

extension KeelDatabase {
    /// The latest successful forecast run over the database's series (or run `runId`).
    public func loadForecastRun(_ runId: Int64? = nil) throws -> StoredForecast {
        try pool.read { db in
            let run: Int64
            if let runId {
                guard try String.fetchOne(db, sql: "SELECT kind FROM runs WHERE run_id = ? AND status = 'succeeded'", arguments: [runId]) == "forecast" else {
                    throw StoreError.notFound("run \(runId) is not a successful forecast run")
                }
                run = runId
            } else {
                guard let latest = try Int64.fetchOne(db, sql: "SELECT MAX(run_id) FROM runs WHERE kind = 'forecast' AND status = 'succeeded'") else {
                    throw StoreError.notFound("no successful forecast run in the database yet: run `keel forecast` first")
                }
                run = latest
            }
            guard let asOfRaw = try Int64.fetchOne(db, sql: "SELECT as_of FROM runs WHERE run_id = ?", arguments: [run]) else {
                throw StoreError.invalid("forecast run \(run) has no as-of day")
            }
            let levels = try Double.fetchAll(db, sql: "SELECT level FROM forecast_levels WHERE run_id = ? ORDER BY position", arguments: [run])
            let span = try Row.fetchOne(db, sql: """
                SELECT MIN(day), MAX(day) FROM forecasts WHERE run_id = ? AND location_key IS NOT NULL
                """, arguments: [run])!
            guard let first: Int64 = span[0], let last: Int64 = span[1] else {
                throw StoreError.invalid("forecast run \(run) has no (channel, location, sku) rows: it was made from a file, not the database")
            }
            let asOf = Day(rawValue: Int32(asOfRaw))
            let horizon = Int(last - first + 1)
            var out = StoredForecast(runId: run, asOf: asOf, horizon: horizon, levels: levels)
            let stmt = try RawStatement(db, """
                SELECT channel, location_key, item_key, day, yhat, quantiles, model FROM forecasts
                WHERE run_id = ? AND location_key IS NOT NULL ORDER BY location_key, item_key, channel, day
                """)
            stmt.bind(1, run)
            var current: StoredForecast.Key?
            let q = levels.count
            var s = -1
            while try stmt.step() {
                guard let channel = Channel(rawValue: stmt.text(0) ?? "") else { throw StoreError.invalid("forecast run \(run) has an unknown channel") }
                let key = StoredForecast.Key(channel: channel, locationKey: stmt.int64(1), itemKey: stmt.int64(2))
                if key != current {
                    current = key
                    s += 1
                    out.keys.append(key)
                    out.models.append(stmt.text(6) ?? "")
                    out.yhat.append(contentsOf: repeatElement(0, count: horizon))
                    out.quantiles.append(contentsOf: repeatElement(0, count: horizon * q))
                }
                let t = Int(stmt.int64(3) - first)
                out.yhat[s * horizon + t] = stmt.double(4)
                let blob = stmt.blob(5)
                guard blob.count == 8 * q else { throw StoreError.invalid("forecast run \(run): a quantile blob does not match its \(q) levels") }
                for j in 0..<q {
                    out.quantiles[(s * q + j) * horizon + t] = blob.loadUnaligned(fromByteOffset: 8 * j, as: Double.self)
                }
            }
            return out
        }
    }
}
