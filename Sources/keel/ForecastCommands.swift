import ArgumentParser
import Foundation
import KeelCore
import KeelEngine
import KeelForecast
import KeelStore

/// Options shared by `keel forecast` and `keel backtest`.
struct ModelOptions: ParsableArguments {
    @Option(help: "Forecast horizon in periods.") var horizon: Int?
    @Option(help: "Season length(s), e.g. 7 or 7,365 (default: from the frequency).") var season: String?
    @Option(help: "Frequency: D, W, M, Q, H or I (default: inferred from ds).") var freq: String?
    @Option(help: "Models: auto, or model names separated by commas.") var models = "auto"
    @Option(help: "Fit on at most the latest N periods of each series (default: all; database mode: 735 days).") var maxHistory: Int?
    @Option(help: "Candidate sets file (default: Models/default-model-sets.json when present).") var modelSets: String?

    func seasons(for frequency: SeriesPanel.Frequency) throws -> [Int] {
        guard let season else { return frequency.defaultSeasons }
        let parts = season.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else { throw CLIError.badInput("--season must be whole numbers ≥ 1, e.g. 7 or 7,365") }
        return parts.map { $0! }
    }

    func frequency() throws -> SeriesPanel.Frequency? {
        guard let freq else { return nil }
        guard let f = SeriesPanel.Frequency(rawValue: freq.uppercased()) else { throw CLIError.badInput("--freq must be one of D, W, M, Q, H, I") }
        return f
    }

    func explicitModels() throws -> [String]? {
        if models == "auto" { return nil }
        let names = models.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let known = Set(ModelCatalog.names)
        for n in names where !known.contains(n) {
            throw CLIError.badInput("unknown model '\(n)' (known: auto, \(ModelCatalog.names.joined(separator: ", ")))")
        }
        return names
    }

    func candidateSets() throws -> [String: [String: [String]]] {
        do { return try ModelSets.resolve(path: modelSets) } catch { throw CLIError.badInput("\(error)") }
    }
}

func parseLevels(_ text: String) throws -> [Double] {
    let levels = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard !levels.isEmpty, levels.allSatisfy({ $0 != nil && $0! > 0 && $0! < 1 }) else {
        throw CLIError.badInput("--quantiles must be levels strictly between 0 and 1, e.g. 0.5,0.9,0.95")
    }
    return levels.map { $0! }
}

struct ForecastCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast every series: from the database (--db, a forecast run) or from a long-format file (--input … --output).")
    /// Models that need the regressors' future values (`--future`).
    static let exogenousModels: Set<String> = [ExogenousRegression.catalogName, ExogenousLogLinkRegression.catalogName]
    @Option(help: "Long-format training file unique_id,ds,y (file mode).") var input: String?
    @Option(help: "Future exogenous values unique_id,ds,<columns> (file mode).") var future: String?
    @Option(help: "Forecast CSV to write: unique_id,ds,yhat,q… (file mode).") var output: String?
    @Option(help: "The database (database mode; default $KEEL_DB or keel.sqlite).") var db: String?
    @Option(help: "History through this day only (database mode; default: the latest sales day).") var asOf: String?
    @Option(help: "Quantile levels, e.g. 0.5,0.9,0.95.") var quantiles = "0.5,0.9,0.95"
    @Option(help: "Backtest windows used by automatic selection and calibration.") var windows = 2
    @OptionGroup var modelOptions: ModelOptions
    @Flag(help: "Database mode: forecast without the price and promotion effects learned per department (the univariate forecast).") var noDrivers = false
    @Flag(help: "Print a JSON summary.") var json = false

    func validate() throws {
        if noDrivers && db == nil && input != nil { throw ValidationError("--no-drivers is for database mode (file mode takes drivers from --future)") }
        if input != nil && output == nil { throw ValidationError("--input needs --output") }
        if let h = modelOptions.horizon, h < 1 { throw ValidationError("--horizon must be at least 1") }
        if windows < 0 { throw ValidationError("--windows must be ≥ 0") }
    }

    func run() async throws {
        try await runCommand {
            let levels = try parseLevels(quantiles)
            guard let input, let output else {
                try await runDatabaseMode(levels: levels)
                return
            }
            guard let horizon = modelOptions.horizon else { throw CLIError.badInput("--horizon is required in file mode") }
            let started = Date()
            var panel: SeriesPanel
            do {
                panel = try LongFormatReader.read(path: input, frequency: try modelOptions.frequency())
                if let future { try LongFormatReader.readFuture(path: future, into: &panel, horizon: horizon) }
            } catch let f as LongFormatReader.Failure { throw CLIError.badInput(f.description) }
            let explicit = try modelOptions.explicitModels()
            if future == nil {
                if let named = explicit?.first(where: Self.exogenousModels.contains) {
                    throw CLIError.badInput("--models \(named) needs --future with the regressors' future values")
                } else if !panel.exogenousNames.isEmpty {
                    printWarning("\(input): exogenous columns \(panel.exogenousNames.joined(separator: ", ")) are ignored without --future")
                }
            }
            if panel.frequency != .daily, explicit?.contains(ExogenousLogLinkRegression.catalogName) == true {
                throw CLIError.badInput("--models \(ExogenousLogLinkRegression.catalogName) needs daily data (day of week and yearly terms)")
            }
            let seasons = try modelOptions.seasons(for: panel.frequency)
            let sets = try modelOptions.candidateSets()
            let request = ForecastEngine.Request(
                horizon: horizon, levels: levels, seasonLength: seasons[0], seasonLengths: seasons,
                models: explicit,
                candidates: ModelSets.candidates(sets, frequency: panel.frequency), windows: windows,
                maxHistory: modelOptions.maxHistory,
                medianClasses: ModelSets.medianClasses(sets, frequency: panel.frequency),
                driverCandidates: ModelSets.driverCandidates(sets, frequency: panel.frequency))
            let result = await ForecastEngine.run(panel, request)
            try ForecastFile.write(panel: panel, output: result, horizon: horizon, to: output)
            let seconds = Date().timeIntervalSince(started)
            let fallbacks = result.series.filter { $0.fallback != nil }.count
            if json {
                printJSON(["series": panel.count, "seconds": Int(seconds * 1000), "fallbacks": fallbacks])
            } else {
                var models: [String: Int] = [:]
                for s in result.series { models[s.model, default: 0] += 1 }
                print(String(format: "%d series, horizon %d, %.2fs (%.0f series/s) → %@", panel.count, horizon, seconds, Double(panel.count) / max(seconds, 1e-9), output))
                for (m, c) in models.sorted(by: { $0.value > $1.value }).prefix(8) { print("  \(m): \(c)") }
                if fallbacks > 0 { print("  \(fallbacks) series fell back (fits failed)") }
            }
        }
    }
}

extension ForecastCommand {
    func runDatabaseMode(levels: [Double]) async throws {
        let path = db ?? ProcessInfo.processInfo.environment["KEEL_DB"] ?? "keel.sqlite"
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError.badInput("\(path): no such database") }
        let database = try KeelDatabase(path: path)
        var asOfDay: Day? = nil
        if let asOf { guard let d = Day(asOf) else { throw CLIError.badInput("--as-of must be a date YYYY-MM-DD") }; asOfDay = d }
        let summary: ForecastJob.Summary
        let sets = try modelOptions.candidateSets()
        do {
            summary = try await ForecastJob.run(database, horizon: modelOptions.horizon ?? 28, levels: levels, models: try modelOptions.explicitModels(),
                                                candidates: ModelSets.candidates(sets, frequency: .daily),
                                                windows: windows, asOf: asOfDay, maxHistory: modelOptions.maxHistory ?? ForecastJob.defaultMaxHistory,
                                                medianClasses: ModelSets.medianClasses(sets, frequency: .daily), drivers: !noDrivers)
        } catch let e as StoreError { throw CLIError.failure(e.description) }
        if json { printJSON(summary); return }
        let total = summary.seconds.values.reduce(0, +)
        print(String(format: "forecast run #%lld: %d series × %d days = %d rows as of %@ in %.2fs", summary.runId, summary.series,
                     modelOptions.horizon ?? 28, summary.rows, summary.asOf?.description ?? "-", total))
        for (m, c) in summary.models.sorted(by: { $0.value > $1.value }).prefix(8) { print("  \(m): \(c)") }
        if summary.fallbacks > 0 { print("  \(summary.fallbacks) series fell back (fits failed; listed in the run's notes)") }
        if summary.driverAdjusted > 0 || !summary.driverGroups.isEmpty {
            print("  \(summary.driverAdjusted) series adjusted for price and promotion (in the run's notes per department):")
            if let c = summary.driverChain, let e = c.elasticity, let u = c.promotionUplift {
                print(String(format: "    whole chain (the departments' prior): elasticity %.2f, promotion uplift ×%.2f over %d series", e, u, c.series)
                      + (c.constrained.map { " (\($0))" } ?? ""))
            }
            for g in summary.driverGroups {
                if let e = g.elasticity, let u = g.promotionUplift {
                    print(String(format: "    %@: elasticity %.2f, promotion uplift ×%.2f over %d series", g.group, e, u, g.series)
                          + (g.usesChain ? " (the whole chain's: \(g.failure ?? "no fit of its own"))" : (g.constrained.map { " (\($0))" } ?? "")))
                } else {
                    print("    \(g.group): not adjusted (\(g.failure ?? "no fit"))")
                }
            }
        }
    }
}

enum ForecastFile {
    /// `unique_id,ds,yhat,q<level>…` (the CLI's file-mode columns).
    static func write(panel: SeriesPanel, output: ForecastEngine.Output, horizon: Int, to path: String) throws {
        let w = try CSVWriter(path: path, header: ["unique_id", "ds", "yhat"] + output.levels.map { "q" + CSVWriter.decimalText($0) })
        for s in 0..<panel.count {
            let f = output.series[s]
            let n = panel.range(s).count
            for t in 0..<horizon {
                w.field(panel.ids[s])
                w.field(panel.label(start: panel.starts[s], step: n + t))
                w.field(f.mean[t], decimals: 4)
                for k in output.levels.indices { w.field(f.quantiles[k][t], decimals: 4) }
                w.endRow()
            }
        }
        try w.close()
    }
}

struct Backtest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rolling-origin evaluation: per-model MASE, RMSSE, sMAPE, bias and pinball loss.")
    @Option(help: "Long-format file unique_id,ds,y.") var input: String
    @Option(help: "Backtest windows (each withholds the next horizon).") var windows = 1
    @Option(help: "Quantile levels for the pinball loss and coverage.") var quantiles = "0.5,0.9,0.95"
    @Option(help: "CSV file for the scores.") var output: String?
    @OptionGroup var modelOptions: ModelOptions
    @Flag(help: "Print a JSON summary.") var json = false

    func run() async throws {
        try await runCommand {
            guard let horizon = modelOptions.horizon, horizon >= 1 else { throw CLIError.badInput("--horizon is required (≥ 1)") }
            guard windows >= 1 else { throw CLIError.badInput("--windows must be ≥ 1") }
            let levels = try parseLevels(quantiles)
            let panel: SeriesPanel
            do { panel = try LongFormatReader.read(path: input, frequency: try modelOptions.frequency()) }
            catch let f as LongFormatReader.Failure { throw CLIError.badInput(f.description) }
            let seasons = try modelOptions.seasons(for: panel.frequency)
            let names: [String?] = modelOptions.models.split(separator: ",").map { n in
                let s = n.trimmingCharacters(in: .whitespaces)
                return s == "auto" ? nil : s
            }
            let known = Set(ModelCatalog.names)
            for case let n? in names where !known.contains(n) { throw CLIError.badInput("unknown model '\(n)'") }
            let sets = try modelOptions.candidateSets()
            let request = ForecastEngine.Request(horizon: horizon, levels: levels, seasonLength: seasons[0], seasonLengths: seasons,
                                                 candidates: ModelSets.candidates(sets, frequency: panel.frequency),
                                                 medianClasses: ModelSets.medianClasses(sets, frequency: panel.frequency))
            let scores = await KeelForecast.Backtest.run(panel, models: names, request: request, windows: windows)
            if let output {
                let w = try CSVWriter(path: output, header: ["model", "series", "mase", "rmsse", "smape", "bias", "pinball", "seconds"] + levels.map { "coverage_q" + CSVWriter.decimalText($0) })
                for s in scores {
                    w.field(s.model); w.field(s.series); w.field(s.mase, decimals: 6); w.field(s.rmsse, decimals: 6); w.field(s.smape, decimals: 6)
                    w.field(s.bias, decimals: 6); w.field(s.pinball, decimals: 6); w.field(s.seconds, decimals: 3)
                    for c in s.coverage { w.field(c, decimals: 4) }
                    w.endRow()
                }
                try w.close()
            }
            if json { printJSON(scores); return }
            print("model                          series     MASE    RMSSE    sMAPE      bias   pinball   seconds")
            for s in scores {
                print(String(format: "%@ %8d %8.4f %8.4f %8.3f %9.3f %9.4f %9.2f", s.model.padding(toLength: 28, withPad: " ", startingAt: 0), s.series, s.mase, s.rmsse, s.smape, s.bias, s.pinball, s.seconds))
            }
        }
    }
}
