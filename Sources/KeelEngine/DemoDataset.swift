import Foundation
import KeelStore

/// The embedded demo retailer (`Datasets/demo/`) and the fresh database built from it.
public enum DemoDataset {
    /// Finds `Datasets/demo` from the working directory or from the executable's location
    /// (`.build/<config>/keel` inside a checkout). Throws with the places looked at.
    public static func locate(explicit: String? = nil, executablePath: String = CommandLine.arguments[0]) throws -> String {
        let fm = FileManager.default
        if let explicit {
            guard fm.fileExists(atPath: (explicit as NSString).appendingPathComponent("items.csv")) else {
                throw StoreError.badFile(path: explicit, reason: "not a dataset folder (no items.csv)")
            }
            return explicit
        }
        var candidates = [fm.currentDirectoryPath + "/Datasets/demo"]
        var dir = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(dir.appendingPathComponent("Datasets/demo").path)
            dir = dir.deletingLastPathComponent()
        }
        for c in candidates where fm.fileExists(atPath: c + "/items.csv") { return c }
        throw StoreError.badFile(path: candidates[0], reason: "the embedded demo dataset was not found (looked in: \(candidates.joined(separator: ", ")))")
    }

    /// Creates a fresh database at `path` from the dataset folder. An existing file is replaced
    /// only when it is itself a demo database (so `keel demo --db` never erases real data).
    public static func buildDatabase(at path: String, from folder: String, options: ImportOptions) throws -> (KeelDatabase, ImportReport) {
        let fm = FileManager.default
        if fm.fileExists(atPath: path) {
            let isDemo = (try? KeelDatabase(path: path).isDemoDatabase()) ?? false
            guard isDemo else {
                throw StoreError.invalid("\(path) exists and is not a demo database; choose another --db or remove it yourself")
            }
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: path + suffix) }
        }
        let db = try KeelDatabase(path: path)
        try db.markAsDemoDatabase()
        let report = try db.importFiles([folder], options: options)
        return (db, report)
    }
}
