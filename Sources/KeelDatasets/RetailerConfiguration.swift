import KeelCore

/// What to generate: the size of the synthetic retailer, its history and its seed.
///
/// The same configuration (including `seed`) always produces byte-identical files.
public struct RetailerConfiguration: Sendable {
    public var stores: Int = 12
    public var dcs: Int = 2
    public var skus: Int = 400
    public var days: Int = 730
    public var seed: UInt64 = 42
    /// First day of history.
    public var startDate: Day = Day(year: 2024, month: 1, day: 1)!
    /// Inject anomalies (and write their ground truth to `anomalies_truth.csv`).
    public var anomalies: Bool = true
    /// Every store ships to customers (ship-from-store everywhere, with capacity and rates);
    /// by default one store in three does. The HTTP benchmark's 50-node network uses it.
    public var shipFromEveryStore: Bool = false

    public init(stores: Int = 12, dcs: Int = 2, skus: Int = 400, days: Int = 730, seed: UInt64 = 42) {
        self.stores = stores
        self.dcs = dcs
        self.skus = skus
        self.days = days
        self.seed = seed
    }

    /// The last day of history.
    public var endDate: Day { startDate.adding(days - 1) }

    func validate() throws {
        if stores < 1 { throw GeneratorError("stores must be at least 1 (got \(stores))") }
        if dcs < 1 { throw GeneratorError("dcs must be at least 1 (got \(dcs))") }
        if skus < 10 { throw GeneratorError("skus must be at least 10 (got \(skus))") }
        if days < 28 { throw GeneratorError("days must be at least 28 (got \(days))") }
    }
}

/// A configuration the generator cannot honour, or a file it could not write.
public struct GeneratorError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "generator: \(message)" }
}

/// One written file and its number of data rows (header excluded).
public struct FileCount: Sendable, Equatable {
    public var name: String
    public var rows: Int
}

/// What `RetailerGenerator.generate` wrote.
public struct GenerationSummary: Sendable {
    /// Files in writing order with their data-row counts.
    public var files: [FileCount]
    /// Anomaly kind (raw value) → number of rows in `anomalies_truth.csv`.
    public var injectedAnomalies: [String: Int]

    public func rows(_ file: String) -> Int? { files.first { $0.name == file }?.rows }
}
