import Foundation
import GRDB
import KeelCore

public struct ImportOptions: Sendable {
    /// Import the good rows and write the rejected ones, with reasons, beside the input.
    public var skipBadRows = false
    /// Called from the importing thread about every 64k rows and at the end of each file.
    public var progress: (@Sendable (ImportProgress) -> Void)?
    public init(skipBadRows: Bool = false, progress: (@Sendable (ImportProgress) -> Void)? = nil) {
        self.skipBadRows = skipBadRows
        self.progress = progress
    }
}

public struct ImportProgress: Sendable {
    public var file: String
    public var bytesRead: Int64
    public var fileSize: Int64
    public var rows: Int
    public var fraction: Double { fileSize > 0 ? min(1, Double(bytesRead) / Double(fileSize)) : 1 }
}

public struct FileImportResult: Sendable, Codable {
    public var kind: String
    public var path: String
    public var rowsImported: Int
    public var rowsRejected: Int
    public var rejectedPath: String?
}

public struct ImportReport: Sendable, Codable {
    public var runId: Int64
    public var files: [FileImportResult]
    public var warnings: [String]
    /// Every rejected row when `skipBadRows` was set (up to 100 per file).
    public var issues: [String]
    public var demandSeriesRefreshed: Int
    public var seconds: Double
    /// Seconds per phase: each file's name, then `positions` and `demand_history`.
    public var phases: [String: Double] = [:]
    public var rowsImported: Int { files.reduce(0) { $0 + $1.rowsImported } }
}

extension KeelDatabase {
    /// Resolves files and folders to contract files in dependency order.
    ///
    /// A folder contributes every file named like a contract file (others are listed in
    /// `ignored`); a file named otherwise is an error, since its kind cannot be known.
    public static func contractFiles(in paths: [String]) throws -> (files: [(ContractFile.Kind, String)], ignored: [String]) {
        var found: [(ContractFile.Kind, String)] = []
        var ignored: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else { throw StoreError.badFile(path: path, reason: "no such file or folder") }
            if isDir.boolValue {
                for name in try fm.contentsOfDirectory(atPath: path).sorted() {
                    let full = (path as NSString).appendingPathComponent(name)
                    if let kind = ContractFile.Kind(fileName: name) { found.append((kind, full)) }
                    else if name.hasSuffix(".csv") { ignored.append(full) }
                }
            } else {
                let name = (path as NSString).lastPathComponent
                guard let kind = ContractFile.Kind(fileName: name) else {
                    throw StoreError.badFile(path: path, reason: "not a contract file name (expected one of \(ContractFile.Kind.allCases.map(\.fileName).joined(separator: ", ")))")
                }
                found.append((kind, path))
            }
        }
        let order = ContractFile.Kind.allCases
        let sorted = found.enumerated().sorted { a, b in
            let ka = order.firstIndex(of: a.element.0)!, kb = order.firstIndex(of: b.element.0)!
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
        return (sorted, ignored)
    }

    /// Imports contract CSVs in one transaction: every file validated, the demand history and
    /// inventory positions refreshed, and an `import` run recorded. On any rejected row (without
    /// `skipBadRows`) or error, nothing is kept: the database is exactly as it was (no run row
    /// either), and the error carries every rejected row's `file:line: column: reason`.
    public func importFiles(_ paths: [String], options: ImportOptions = ImportOptions()) throws -> ImportReport {
        let started = RunLog.now()
        let clock = ContinuousClock.now
        let (files, ignored) = try KeelDatabase.contractFiles(in: paths)
        struct Parameters: Encodable { var files: [String]; var skip_bad_rows: Bool }
        let parameters = RunLog.json(Parameters(files: files.map(\.1), skip_bad_rows: options.skipBadRows))
        // On any error the transaction rolls back: the database is exactly as it was (no run row either).
        return try pool.writeWithoutTransaction { db in
            // The importer resolves every reference itself (to report it with its line), against
            // the master tables read inside this transaction, and never deletes a referenced row;
            // SQLite's second, per-row foreign-key check is switched off for the import only.
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            var report = ImportReport(runId: 0, files: [], warnings: ignored.map { "\($0): not a contract file; ignored" },
                                      issues: [], demandSeriesRefreshed: 0, seconds: 0)
            try db.inTransaction(.immediate) {
                var demand = DemandAccumulator()
                var stockPairs = Set<UInt64>()
                var returnDeltas: [UInt64: (restock: Double, damaged: Double)] = [:]
                for (kind, path) in files {
                    let refs = try ReferenceTables(db, for: kind)
                    let importer = FileImporter(spec: ContractFile.spec(kind), path: path, refs: refs,
                                                skipBadRows: options.skipBadRows, progress: options.progress)
                    if kind == .sales { importer.demand = demand }
                    let fileClock = ContinuousClock.now
                    try importer.run(db)
                    report.phases[kind.fileName, default: 0] += (ContinuousClock.now - fileClock).seconds
                    if importer.issueCount > 0 && !options.skipBadRows {
                        throw StoreError.rejected(importer.issues, total: importer.issueCount)
                    }
                    if kind == .sales { demand = importer.demand }
                    stockPairs.formUnion(importer.stockPairs)
                    returnDeltas.merge(importer.returnDeltas) { a, b in (a.restock + b.restock, a.damaged + b.damaged) }
                    report.warnings += importer.warnings
                    report.issues += importer.issues.map(\.description)
                    report.files.append(FileImportResult(kind: kind.rawValue, path: path, rowsImported: importer.rowsImported,
                                                         rowsRejected: importer.issueCount, rejectedPath: importer.rejectedPath))
                }
                var phaseClock = ContinuousClock.now
                try InventoryPositions.refresh(db, snapshotPairs: stockPairs, sales: demand, returns: returnDeltas)
                report.phases["positions"] = (ContinuousClock.now - phaseClock).seconds
                phaseClock = ContinuousClock.now
                report.demandSeriesRefreshed = try DemandHistory.refresh(db, accumulator: demand, stockPairs: stockPairs)
                report.phases["demand_history"] = (ContinuousClock.now - phaseClock).seconds
                report.seconds = (ContinuousClock.now - clock).seconds
                report.runId = try RunLog.record(db, kind: "import", status: "succeeded", startedAt: started, asOf: try DemandHistory.endDay(db),
                                                 parameters: parameters, timings: RunLog.json(report.phases.merging(["total_seconds": report.seconds]) { a, _ in a }),
                                                 rowsWritten: report.rowsImported, error: nil)
                return .commit
            }
            return report
        }
    }
}

extension Duration {
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
