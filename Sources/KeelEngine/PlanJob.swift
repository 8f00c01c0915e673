import Foundation
import KeelCore
import KeelPlanning
import KeelStore

/// `keel plan`: replenishment and transfer plans from the latest forecast run, written as a
/// replenishment run and a transfers run in one transaction (a failure records both as failed).
public enum PlanJob {
    public struct Summary: Sendable, Codable {
        public var replenishmentRunId: Int64
        public var transfersRunId: Int64
        public var forecastRunId: Int64
        public var asOf: Day
        public var pairs: Int
        public var replenishmentLines: Int
        public var supplierLines: Int
        public var storeLines: Int
        public var orderValue: Double
        public var transferLines: Int
        public var transferUnits: Double
        public var transferBenefit: Double
        public var transferArcs: Int
        public var linesByClass: [String: Int]
        public var seconds: [String: Double]
    }

    public static func run(_ db: KeelDatabase, configuration: PlanningConfiguration, forecastRun: Int64? = nil) throws -> Summary {
        let started = RunLog.now()
        var parameters = ["forecast_run": forecastRun.map(String.init) ?? "latest"]
        do {
            var clock = ContinuousClock.now
            let forecast = try db.loadForecastRun(forecastRun)
            parameters["forecast_run"] = String(forecast.runId)
            let data = try db.loadPlanningData(asOf: forecast.asOf)
            let demand = PairDemand(forecast)
            let load = (ContinuousClock.now - clock).seconds
            clock = ContinuousClock.now
            let plan = try ReplenishmentPlanner(data: data, demand: demand, configuration: configuration).plan()
            let replenish = (ContinuousClock.now - clock).seconds
            clock = ContinuousClock.now
            var ordered: [PairKey: Double] = [:]
            for l in plan.lines { ordered[PairKey(l.locationKey, l.itemKey), default: 0] += l.orderQty }
            let transfers = try TransferPlanner(data: data, demand: demand, policies: plan.policies, configuration: configuration,
                                                replenishment: ordered).plan()
            let transfer = (ContinuousClock.now - clock).seconds
            clock = ContinuousClock.now
            let costs = Dictionary(uniqueKeysWithValues: data.items.map { ($0.key, $0.unitCost) })
            var byClass: [String: Int] = [:]
            let classOf = Dictionary(uniqueKeysWithValues: plan.policies.map { ($0.pair, $0.serviceClass) })
            for l in plan.lines { byClass[classOf[PairKey(l.locationKey, l.itemKey)] ?? "?", default: 0] += 1 }
            var timings = ["load_seconds": load, "replenishment_seconds": replenish, "transfers_seconds": transfer]
            let config = RunLog.json(configuration)
            let ids = try db.writePlanRuns(startedAt: started, asOf: data.asOf,
                                           parameters: RunLog.json(parameters.merging(["configuration": config]) { a, _ in a }),
                                           timings: RunLog.json(timings), notes: plan.notes.isEmpty ? nil : RunLog.json(["notes": plan.notes]),
                                           replenishment: plan.lines, transfers: transfers.rows)
            timings["write_seconds"] = (ContinuousClock.now - clock).seconds
            return Summary(replenishmentRunId: ids.replenishment, transfersRunId: ids.transfers, forecastRunId: forecast.runId, asOf: data.asOf,
                           pairs: plan.policies.count, replenishmentLines: plan.lines.count,
                           supplierLines: plan.lines.filter { $0.supplierKey != nil }.count,
                           storeLines: plan.lines.filter { $0.supplierKey == nil }.count,
                           orderValue: plan.lines.filter { $0.supplierKey != nil }.reduce(0) { $0 + $1.orderQty * (costs[$1.itemKey] ?? 0) },
                           transferLines: transfers.rows.count, transferUnits: transfers.rows.reduce(0) { $0 + $1.qty },
                           transferBenefit: transfers.rows.reduce(0) { $0 + $1.expectedBenefit }, transferArcs: transfers.arcs,
                           linesByClass: byClass, seconds: timings)
        } catch {
            let p = RunLog.json(parameters)
            try? db.recordFailedRun(kind: "replenishment", startedAt: started, asOf: nil, parameters: p, error: String(describing: error))
            try? db.recordFailedRun(kind: "transfers", startedAt: started, asOf: nil, parameters: p, error: String(describing: error))
            throw error
        }
    }
}
