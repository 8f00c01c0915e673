import Foundation
import KeelAnomaly
import KeelCore
import KeelForecast
import KeelPlanning
import KeelSourcing
import KeelStore

/// `keel run`: the nightly batch — forecast → plan → route → anomalies. Every step is its own run
/// (or runs) in its own transaction, recorded with its timings; a step that fails records its run
/// as failed with the error, leaves the earlier steps' runs as they are, and stops the batch (the
/// later steps are reported as skipped). Running it again is safe: each run is new, the plans are
/// read from the latest successful runs, and anomalies are keyed by their event, so a re-run
/// updates them instead of duplicating them.
public enum NightlyBatch {
    public enum Step: String, CaseIterable, Sendable, Codable { case forecast, plan, route, anomalies }

    public struct StepResult: Sendable, Codable {
        public var step: Step
        /// `succeeded`, `failed` or `skipped`.
        public var status: String
        public var runIds: [Int64]
        public var seconds: Double
        public var summary: String
        public var error: String?
    }

    public struct Summary: Sendable, Codable {
        public var steps: [StepResult]
        public var succeeded: Bool
        public var seconds: Double
        public var failedStep: Step? { steps.first { $0.status == "failed" }?.step }
    }

    public struct Options: Sendable {
        public var horizon = 28
        public var levels = [0.5, 0.9, 0.95]
        public var candidates: [DemandClass: [String]]
        /// Classes forecast by the median of their candidates (`ModelSets.medianClasses`).
        public var medianClasses: Set<DemandClass> = []
        public var planning: PlanningConfiguration
        public var asOf: Day?
        public init(candidates: [DemandClass: [String]], planning: PlanningConfiguration, asOf: Day? = nil) {
            self.candidates = candidates; self.planning = planning; self.asOf = asOf
        }
    }

    /// Runs the batch; `event` hears each step start (`nil` result) and finish.
    public static func run(_ db: KeelDatabase, options: Options,
                           event: @Sendable (Step, StepResult?) -> Void = { _, _ in }) async -> Summary {
        let started = ContinuousClock.now
        var results: [StepResult] = []
        var failed = false
        for step in Step.allCases {
            if failed {
                results.append(StepResult(step: step, status: "skipped", runIds: [], seconds: 0, summary: "skipped: an earlier step failed", error: nil))
                continue
            }
            event(step, nil)
            let clock = ContinuousClock.now
            var result: StepResult
            do {
                switch step {
                case .forecast:
                    let s = try await ForecastJob.run(db, horizon: options.horizon, levels: options.levels, models: nil,
                                                      candidates: options.candidates, asOf: options.asOf,
                                                      medianClasses: options.medianClasses)
                    result = StepResult(step: step, status: "succeeded", runIds: [s.runId], seconds: 0,
                                        summary: "\(s.series) series × \(options.horizon) days, \(s.fallbacks) fallbacks, \(s.driverAdjusted) adjusted for price and promotion",
                                        error: nil)
                case .plan:
                    let s = try PlanJob.run(db, configuration: options.planning)
                    result = StepResult(step: step, status: "succeeded", runIds: [s.replenishmentRunId, s.transfersRunId], seconds: 0,
                                        summary: "\(s.replenishmentLines) replenishment lines, \(s.transferLines) transfers", error: nil)
                case .route:
                    let s = try RouteJob.run(db, asOf: options.asOf)
                    result = StepResult(step: step, status: "succeeded", runIds: [s.runId], seconds: 0,
                                        summary: String(format: "%d orders, %d lines, cost %.2f, gap %.2f%%", s.orders, s.lines, s.totalCost, 100 * s.gap),
                                        error: nil)
                case .anomalies:
                    let s = try AnomalyDetection.run(db, asOf: options.asOf)
                    result = StepResult(step: step, status: "succeeded", runIds: [s.runId], seconds: 0,
                                        summary: String(format: "%d anomalies, %.2f at risk", s.detected, s.amountAtRisk), error: nil)
                }
            } catch {
                failed = true
                result = StepResult(step: step, status: "failed", runIds: [], seconds: 0, summary: "failed", error: String(describing: error))
            }
            result.seconds = (ContinuousClock.now - clock).seconds
            event(step, result)
            results.append(result)
        }
        return Summary(steps: results, succeeded: !failed, seconds: (ContinuousClock.now - started).seconds)
    }
}
