import Foundation
import KeelCore
import KeelForecast
import KeelPlanning
import KeelStore

/// `keel simulate --days N`: forecast and plan as of N days before the end of the history (those
/// days held out), then replay the held-out days of real demand through Keel's policies and through
/// a min/max rule tuned to the same fill rate. Store pairs face their own demand with the DC lane as
/// lead time; a DC's echelon faces all the customer demand it serves (its own channels and its
/// stores') with the supplier lead time. Recorded as a `simulation` run with the results in its notes.
public enum SimulationJob {
    public struct Figures: Sendable, Codable {
        public var fillRate: Double
        public var target: Double?
        public var lostUnits: Double
        public var averageInventoryValue: Double
        public var turns: Double
        public var holdingCost: Double
        public var orders: Int
        public var pairs: Int
    }
    public struct Summary: Sendable, Codable {
        public var runId: Int64
        public var asOf: Day
        public var days: Int
        public var keel: [String: Figures]
        public var baseline: [String: Figures]
        public var baselineBufferDays: Double
        public var inventoryReduction: Double
        public var seconds: [String: Double]
    }

    public static func run(_ db: KeelDatabase, days: Int, configuration: PlanningConfiguration, horizon requestedHorizon: Int? = nil,
                           candidates: [DemandClass: [String]], maxHistory: Int? = 1095, seed: UInt64 = 42) async throws -> Summary {
        let started = RunLog.now()
        // The forecast covers the replayed days and the longest protection interval after them.
        let horizon = requestedHorizon ?? days + 63
        let parameters = RunLog.json(["days": "\(days)", "horizon": "\(horizon)", "seed": "\(seed)"])
        var asOfDay: Day?
        do {
            guard days >= 7 else { throw PlanningError.invalidInput("--days must be at least 7 (got \(days))") }
            var clock = ContinuousClock.now
            let full = try db.loadDemand()
            guard let end = full.endDay, full.count > 0 else { throw StoreError.invalid("no demand history: import sales first") }
            let asOf = end.adding(-days)
            asOfDay = asOf
            let history = try db.loadDemand(asOf: asOf)
            guard history.count > 0, let first = history.starts.min(), asOf - first >= 28 else {
                throw PlanningError.invalidInput("holding out \(days) days leaves less than 28 days of history to forecast from")
            }
            let load = (ContinuousClock.now - clock).seconds
            clock = ContinuousClock.now
            let levels = [0.5, 0.8, 0.9, 0.95]
            let request = ForecastEngine.Request(horizon: horizon, levels: levels, seasonLength: 7, seasonLengths: [7, 365],
                                                 models: nil, candidates: candidates, windows: 2, maxHistory: maxHistory)
            // The nightly forecast's: with the price and promotion effects of the replayed days.
            var panel = ForecastJob.seriesPanel(history)
            let drivers = try ForecastJob.attachDrivers(&panel, db, keys: history.keys, end: asOf, horizon: horizon, maxHistory: maxHistory)?.effects
            var out = await ForecastEngine.run(panel, request)
            CategorySeasonality.apply(&out, keys: history.keys,
                                      indices: CategorySeasonality.indices(history, categoryOf: try db.itemCategories(), asOf: asOf, horizon: horizon,
                                                                           effects: panel.effects, effectsHorizon: horizon))
            var demand = PairDemand(asOf: asOf, horizon: horizon)
            var v = [Double](repeating: 0, count: horizon), qs = [Double](repeating: 0, count: levels.count)
            for s in 0..<history.count {
                let f = out.series[s], k = history.keys[s]
                for t in 0..<horizon {
                    for j in levels.indices { qs[j] = f.quantiles[j][t] }
                    v[t] = PairDemand.dailyVariance(mean: max(0, f.mean[t]), quantiles: qs, levels: levels)
                }
                demand.add(PairKey(k.locationKey, k.itemKey), mean: f.mean, variance: v)
            }
            let forecast = (ContinuousClock.now - clock).seconds
            clock = ContinuousClock.now
            let data = try db.loadPlanningData(asOf: asOf)
            let planner = ReplenishmentPlanner(data: data, demand: demand, configuration: configuration)
            let plan = try planner.plan()
            // Re-planned every night: the policies of day t protect the windows starting on day t.
            var nightly = [[PairPolicy]](repeating: [], count: days)
            nightly[0] = plan.policies
            let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
            for start in stride(from: 1, to: days, by: workers) {
                let batch = Array(start..<min(days, start + workers))
                let results = try await withThrowingTaskGroup(of: (Int, [PairPolicy]).self) { group in
                    for t in batch { group.addTask { (t, try planner.plan(offset: t).policies) } }
                    var out: [(Int, [PairPolicy])] = []
                    for try await r in group { out.append(r) }
                    return out
                }
                for (t, p) in results { nightly[t] = p }
            }

            // Held-out demand per pair (all channels at the location), and per DC echelon.
            var actual: [PairKey: [Double]] = [:]
            var pastMean: [PairKey: Double] = [:]
            let lookback = 90
            for s in 0..<full.count {
                let k = full.keys[s], r = full.range(s)
                let pair = PairKey(k.locationKey, k.itemKey)
                var a = actual[pair] ?? [Double](repeating: 0, count: days)
                for i in r {
                    let day = full.starts[s].adding(i - r.lowerBound)
                    let t = day - asOf - 1
                    if t >= 0, t < days { a[t] += Double(full.units[i]) }
                    let back = asOf - day
                    if back >= 0, back < lookback { pastMean[pair, default: 0] += Double(full.units[i]) / Double(lookback) }
                }
                actual[pair] = a
            }
            let locations = Dictionary(uniqueKeysWithValues: data.locations.map { ($0.key, $0) })
            var echelon: [PairKey: [Double]] = [:], echelonPast: [PairKey: Double] = [:]
            for p in plan.policies where p.supplierKey == nil {
                guard let dc = p.sourceLocationKey else { continue }
                let k = PairKey(dc, p.pair.item)
                var a = echelon[k] ?? [Double](repeating: 0, count: days)
                for (t, x) in (actual[p.pair] ?? []).enumerated() { a[t] += x }
                echelon[k] = a
                echelonPast[k, default: 0] += pastMean[p.pair] ?? 0
            }
            var keelSubjects: [InventorySimulator.Subject] = [], baselineItems: [MinMaxBaseline.Item] = []
            for (n, p) in plan.policies.enumerated() {
                let isDC = p.supplierKey != nil
                var series = actual[p.pair] ?? [Double](repeating: 0, count: days)
                var past = pastMean[p.pair] ?? 0
                if isDC, let e = echelon[p.pair] {
                    for t in 0..<days { series[t] += e[t] }
                    past += echelonPast[p.pair] ?? 0
                }
                let label = (isDC ? "dc" : locations[p.pair.location]?.type.rawValue ?? "store") + ":" + String(p.serviceClass.prefix(1))
                let subject = InventorySimulator.Subject(
                    label: label, demand: series[...], reorderPoint: p.policy.reorderPoint, orderUpTo: p.policy.orderUpTo,
                    reviewDays: p.reviewDays, reviewOffset: n % p.reviewDays, leadTimeMean: max(1, p.leadTimeMean), leadTimeSD: p.leadTimeSD,
                    casePack: p.casePack, minOrderQty: p.minOrderQty, unitCost: p.unitCost,
                    seed: seed ^ (UInt64(bitPattern: p.pair.location) << 32) ^ UInt64(bitPattern: p.pair.item))
                var keelSubject = subject
                // The min/max rule reviews at the configured period (a stretched slow mover's longer
                // review is Keel's own decision).
                var baselineSubject = subject
                baselineSubject.reviewDays = isDC ? configuration.dcReviewPeriodDays : configuration.storeReviewPeriodDays
                baselineSubject.reviewOffset = n % baselineSubject.reviewDays
                keelSubject.reorderPoints = nightly.map { $0[n].policy.reorderPoint }
                keelSubject.orderUpTos = nightly.map { $0[n].policy.orderUpTo }
                keelSubjects.append(keelSubject)
                // The same order quantity as Keel (EOQ in cases, at least the MOQ): the rules differ only in when they order.
                baselineItems.append(MinMaxBaseline.Item(subject: baselineSubject, dailyMean: past, eoq: p.policy.orderQuantity))
            }
            let planning = (ContinuousClock.now - clock).seconds
            clock = ContinuousClock.now
            let keel = InventorySimulator.run(keelSubjects)
            let baseline = MinMaxBaseline.tuned(baselineItems, fillRate: keel.overall.fillRate)
            let simulate = (ContinuousClock.now - clock).seconds

            // Targets per label: the demand-weighted mean of the pairs' targets.
            var targetSum: [String: Double] = [:], targetWeight: [String: Double] = [:]
            for (i, p) in plan.policies.enumerated() {
                let w = keelSubjects[i].demand.reduce(0, +)
                targetSum[keelSubjects[i].label, default: 0] += w * p.target
                targetWeight[keelSubjects[i].label, default: 0] += w
            }
            func figures(_ t: InventorySimulator.Totals, _ label: String?) -> Figures {
                let target = label.flatMap { l in targetWeight[l].flatMap { $0 > 0 ? targetSum[l]! / $0 : nil } }
                return Figures(fillRate: t.fillRate, target: target, lostUnits: t.lostUnits, averageInventoryValue: t.averageInventoryValue,
                               turns: t.turns, holdingCost: t.holdingCost(ratePerYear: configuration.holdingRatePerYear), orders: t.orders, pairs: t.subjects)
            }
            var keelFigures = keel.byLabel.mapValues { figures($0, nil) }
            for (l, t) in keel.byLabel { keelFigures[l] = figures(t, l) }
            keelFigures["overall"] = figures(keel.overall, nil)
            let totalW = targetWeight.values.reduce(0, +)
            keelFigures["overall"]!.target = totalW > 0 ? targetSum.values.reduce(0, +) / totalW : nil
            var baselineFigures = baseline.byLabel.mapValues { figures($0, nil) }
            baselineFigures["overall"] = figures(baseline.overall, nil)
            let reduction = baseline.overall.averageInventoryValue > 0
                ? 1 - keel.overall.averageInventoryValue / baseline.overall.averageInventoryValue : 0
            let timings = ["load_seconds": load, "forecast_seconds": forecast, "plan_seconds": planning, "simulate_seconds": simulate]
            struct Notes: Encodable {
                var keel: [String: Figures]; var baseline: [String: Figures]; var baseline_buffer_days: Double; var inventory_reduction: Double
                /// The forecast's price and promotion fits (as in a forecast run's notes).
                var drivers_adjusted: Int; var drivers: [DriverEffects.GroupSummary]?; var drivers_chain: DriverEffects.GroupSummary?
            }
            let notes = RunLog.json(Notes(keel: keelFigures, baseline: baselineFigures, baseline_buffer_days: baseline.bufferDays,
                                          inventory_reduction: reduction, drivers_adjusted: drivers?.adjustedCount ?? 0,
                                          drivers: drivers?.groups, drivers_chain: drivers?.panel))
            let runId = try db.recordRun(kind: "simulation", startedAt: started, asOf: asOf, parameters: parameters,
                                         timings: RunLog.json(timings), notes: notes)
            return Summary(runId: runId, asOf: asOf, days: days, keel: keelFigures, baseline: baselineFigures,
                           baselineBufferDays: baseline.bufferDays, inventoryReduction: reduction, seconds: timings)
        } catch {
            try? db.recordFailedRun(kind: "simulation", startedAt: started, asOf: asOfDay, parameters: parameters, error: String(describing: error))
            throw error
        }
    }

}
