import Foundation
import KeelCore
import KeelForecast
import KeelStore

/// `keel forecast --db`: every (channel, location, sku) series with history, forecast from the
/// demand history (stockout days are missing values, not zeros), written as one forecast run.
public enum ForecastJob {
    public struct Summary: Sendable, Codable {
        public var runId: Int64
        public var series: Int
        public var rows: Int
        public var asOf: Day?
        public var models: [String: Int]
        public var fallbacks: Int
        /// Series whose forecasts carry their category's yearly season (`CategorySeasonality`).
        public var seasonallyAdjusted: Int
        /// Series whose forecasts carry their price and promotion effects (`DriverEffects`), and
        /// each department's pooled fit.
        public var driverAdjusted: Int
        public var driverGroups: [DriverEffects.GroupSummary]
        /// The whole chain's fit, the prior of the departments' (nil with one department or none).
        public var driverChain: DriverEffects.GroupSummary?
        public var seconds: [String: Double]
    }

    /// The demand history as a forecasting panel: censored (stockout) days are missing values.
    ///
    /// A stored series begins on its first sale, which left-truncates it: a store that sold its first
    /// unit of a chain-wide item yesterday did not have zero history before, it had zero sales. Each
    /// series is therefore extended back with zero days to the first day its item sold anywhere in
    /// the chain (otherwise an intermittent model reads one sale on day one as one sale a day).
    public static func seriesPanel(_ demand: DemandPanel) -> SeriesPanel {
        var itemStart: [Int64: Day] = [:]
        for s in 0..<demand.count {
            let item = demand.keys[s].itemKey
            if let d = itemStart[item], d <= demand.starts[s] { continue }
            itemStart[item] = demand.starts[s]
        }
        var panel = SeriesPanel(frequency: .daily)
        panel.ids.reserveCapacity(demand.count)
        panel.values.reserveCapacity(demand.units.count)
        var values: [Double] = []
        for s in 0..<demand.count {
            let r = demand.range(s)
            let start = itemStart[demand.keys[s].itemKey] ?? demand.starts[s]
            values.removeAll(keepingCapacity: true)
            values.append(contentsOf: repeatElement(0, count: demand.starts[s] - start))
            for i in r { values.append(demand.isStockout(i) ? Double.nan : Double(demand.units[i])) }
            panel.append(id: String(demand.keys[s].seriesId), start: Int(start.rawValue), values: values)
        }
        return panel
    }

    /// Days of history the models see in database mode: the latest 735, the shortest span that
    /// still holds two whole years (MSTL keeps a yearly season only when 2 × 365 < n). Every fit
    /// costs time in proportion to it; on the M5-shaped benchmark panel (300 series, h 28) the
    /// RMSSE is 0.7032 with 735 days, 0.7028 with 1,095 and 0.7034 with all 1,913.
    public static let defaultMaxHistory = 735

    public static func run(_ db: KeelDatabase, horizon: Int, levels: [Double], models: [String]?,
                           candidates: [DemandClass: [String]], windows: Int = 2, asOf: Day? = nil,
                           maxHistory: Int? = defaultMaxHistory, medianClasses: Set<DemandClass> = [],
                           drivers: Bool = true) async throws -> Summary {
        let started = RunLog.now()
        // Named models are fitted as they are; the automatic forecast takes the drivers.
        let drivers = drivers && models == nil
        let parameters = RunLog.json(["horizon": "\(horizon)", "levels": levels.map { "\($0)" }.joined(separator: ","),
                                      "models": models?.joined(separator: ",") ?? "auto", "windows": "\(windows)",
                                      "as_of": asOf?.description ?? "latest",
                                      "max_history": maxHistory.map(String.init) ?? "all", "drivers": drivers ? "on" : "off"])
        do {
            var clock = ContinuousClock.now
            let demand = try db.loadDemand(asOf: asOf)
            guard let end = demand.endDay, demand.count > 0 else { throw StoreError.invalid("no demand history to forecast: import sales first") }
            var panel = seriesPanel(demand)
            let load = (ContinuousClock.now - clock).seconds
            clock = ContinuousClock.now
            let attached = drivers
                ? try attachDrivers(&panel, db, keys: demand.keys, end: end, horizon: horizon, maxHistory: maxHistory) : nil
            let effects = attached?.effects
            let driverSeconds = (ContinuousClock.now - clock).seconds
            let driverLoad = attached?.loadSeconds ?? 0
            clock = ContinuousClock.now
            let request = ForecastEngine.Request(horizon: horizon, levels: levels, seasonLength: 7, seasonLengths: [7, 365],
                                                 models: models, candidates: candidates, windows: windows, maxHistory: maxHistory,
                                                 medianClasses: medianClasses)
            var out = await ForecastEngine.run(panel, request)
            clock = ContinuousClock.now
            let seasonal = CategorySeasonality.apply(&out, keys: demand.keys,
                                                     indices: CategorySeasonality.indices(demand, categoryOf: try db.itemCategories(), asOf: end, horizon: horizon,
                                                                                          effects: panel.effects, effectsHorizon: horizon))
            let seasonality = (ContinuousClock.now - clock).seconds
            clock = ContinuousClock.now
            var rows: [ForecastRow] = []
            rows.reserveCapacity(demand.count * horizon)
            var modelCounts: [String: Int] = [:]
            for s in 0..<demand.count {
                let f = out.series[s], key = demand.keys[s]
                modelCounts[f.model, default: 0] += 1
                for t in 0..<horizon {
                    rows.append(ForecastRow(channel: key.channel, locationKey: key.locationKey, itemKey: key.itemKey, uniqueId: nil,
                                            day: end.adding(t + 1), yhat: f.mean[t], quantiles: levels.indices.map { f.quantiles[$0][t] },
                                            model: f.model))
                }
            }
            // Fallbacks are recorded on the run: which series, what was used, and why.
            let fallbackList = out.series.indices.compactMap { s -> Fallback? in
                guard let used = out.series[s].fallback else { return nil }
                let k = demand.keys[s]
                return Fallback(series_id: k.seriesId, channel: k.channel.rawValue, location_key: k.locationKey, item_key: k.itemKey,
                                used: used, reasons: Array(out.series[s].failures.prefix(5)))
            }
            let fallbacks = fallbackList.count
            // Phases: load, fit (selection and final fits), quantiles (calibration), seasonality
            // (category season), write (rows assembled and inserted; recorded inside the write's
            // own transaction once the rows are in).
            var timings = ["load_seconds": load, "driver_seconds": driverSeconds, "driver_load_seconds": driverLoad, "fit_seconds": out.seconds["fit_seconds"] ?? 0,
                           "quantile_seconds": out.seconds["quantile_seconds"] ?? 0, "seasonality_seconds": seasonality]
            let writeStarted = clock
            let runId = try db.writeForecastRun(startedAt: started, asOf: end, parameters: parameters,
                                                timings: RunLog.json(timings), notes: notes(fallbackList, effects),
                                                levels: levels, rows: rows,
                                                finalTiming: { ("write_seconds", (ContinuousClock.now - writeStarted).seconds) })
            timings["write_seconds"] = (ContinuousClock.now - writeStarted).seconds
            return Summary(runId: runId, series: demand.count, rows: rows.count, asOf: end, models: modelCounts, fallbacks: fallbacks,
                           seasonallyAdjusted: seasonal, driverAdjusted: effects?.adjustedCount ?? 0, driverGroups: effects?.groups ?? [], driverChain: effects?.panel,
                           seconds: timings)
        } catch {
            try? db.recordFailedRun(kind: "forecast", startedAt: started, asOf: asOf, parameters: parameters, error: String(describing: error))
            throw error
        }
    }

    /// Prices and promotions from the price book over the days the models see and the horizon
    /// (planned prices and promotions are known in advance), their effects learned per
    /// department (`DriverEffects`) and set on the panel, with the seconds loading them took; nil
    /// when nothing moves.
    public static func attachDrivers(_ panel: inout SeriesPanel, _ db: KeelDatabase, keys: [DemandPanel.Key], end: Day,
                                     horizon: Int, maxHistory: Int?) throws -> (effects: DriverEffects, loadSeconds: Double)? {
        let longest = (0..<panel.count).map { panel.range($0).count }.max() ?? 0
        let days = min(longest, maxHistory ?? longest)
        let clock = ContinuousClock.now
        guard days > 0, let book = try db.demandDrivers(keys: keys, from: end.adding(1 - days), through: end.adding(horizon)),
              book.varyingCount > 0 else { return nil }
        let loaded = (ContinuousClock.now - clock).seconds
        let departments = try db.itemDepartments()
        let effects = DriverEffects.estimate(panel, groups: keys.map { departments[$0.itemKey] ?? "" }, days: book.days,
                                             horizon: horizon, prices: book.prices, promotions: book.promotions, varies: book.varies)
        panel.effects = effects.multipliers
        return (effects, loaded)
    }

    /// A series whose fits failed: what was used instead, and why.
    struct Fallback: Encodable { var series_id: Int64; var channel: String; var location_key: Int64; var item_key: Int64; var used: String; var reasons: [String] }

    /// The run's notes: fallbacks, and the chain's and the departments' price and promotion fits;
    /// nil when there is neither.
    static func notes(_ fallbacks: [Fallback], _ effects: DriverEffects?) -> String? {
        struct Notes: Encodable {
            var fallbacks: [Fallback]?
            var drivers: [DriverEffects.GroupSummary]?
            var drivers_chain: DriverEffects.GroupSummary?
        }
        let drivers = effects?.groups ?? []
        guard !fallbacks.isEmpty || !drivers.isEmpty else { return nil }
        return RunLog.json(Notes(fallbacks: fallbacks.isEmpty ? nil : fallbacks, drivers: drivers.isEmpty ? nil : drivers,
                                 drivers_chain: effects?.panel))
    }
}
