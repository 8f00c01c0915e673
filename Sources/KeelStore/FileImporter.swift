import GRDB
import GRDBSQLite
import KeelCore

/// Imports one contract CSV inside the caller's transaction: streams the file, validates every
/// field against the contract (type, range, enumeration, reference, key), binds the values into a
/// prepared INSERT without building intermediate strings, and collects per-row issues.
///
/// Cost: O(bytes) parsing plus one SQLite insert per row; memory is constant in the file size
/// except for the demand accumulator (per distinct series-day) and, for state files, the set of
/// keys seen (to reject a key repeated within the file).
final class FileImporter {
    struct Cell {
        var tag: UInt8 = 0  // 0 null, 1 integer, 2 double, 3 text from the field, 4 literal text, 5 timestamp
        var int: Int64 = 0
        var int2: Int64 = 0
        var double: Double = 0
        var field: Int = 0
        var literal: String = ""
    }

    let spec: ContractFile
    let path: String
    let fileLabel: String
    let refs: ReferenceTables
    let skipBadRows: Bool
    let progress: ((ImportProgress) -> Void)?
    static let maxReportedIssues = 100

    private(set) var issues: [ImportIssue] = []
    private(set) var issueCount = 0
    private(set) var rowsImported = 0
    private(set) var warnings: [String] = []
    private(set) var rejectedPath: String?

    // Side products for the caller.
    var demand = DemandAccumulator()
    var stockPairs = Set<UInt64>()
    /// (location_key << 24 | item_key) << 17 | day → (restocked, damaged) units from returns.
    var returnDeltas: [UInt64: (restock: Double, damaged: Double)] = [:]

    init(spec: ContractFile, path: String, refs: ReferenceTables, skipBadRows: Bool, progress: ((ImportProgress) -> Void)?) {
        self.spec = spec
        self.path = path
        self.fileLabel = path
        self.refs = refs
        self.skipBadRows = skipBadRows
        self.progress = progress
    }

    private func issue(_ line: Int, _ column: String, _ reason: String) {
        issueCount += 1
        if issues.count < FileImporter.maxReportedIssues {
            issues.append(ImportIssue(file: fileLabel, line: line, column: column, reason: reason))
        }
    }

    func run(_ db: Database) throws {
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch let f as CSVReader.Failure {
            throw StoreError.badFile(path: path, reason: f.reason)
        }
        // Header.
        let hasHeader: Bool
        do { hasHeader = try reader.next() } catch let f as CSVReader.Failure {
            throw StoreError.rejected([ImportIssue(file: fileLabel, line: f.line, column: "header", reason: f.reason)], total: 1)
        }
        guard hasHeader else {
            throw StoreError.rejected([ImportIssue(file: fileLabel, line: 1, column: "header", reason: "empty file: the header row is missing")], total: 1)
        }
        var header: [String] = []
        for i in 0..<reader.fieldCount {
            guard let name = reader.string(i) else {
                throw StoreError.rejected([ImportIssue(file: fileLabel, line: 1, column: "header", reason: "invalid UTF-8 in the header")], total: 1)
            }
            header.append(name.trimmingSpaces)
        }
        var position = [Int?](repeating: nil, count: spec.columns.count)
        var seen = Set<String>()
        for (i, name) in header.enumerated() {
            guard seen.insert(name).inserted else {
                throw StoreError.rejected([ImportIssue(file: fileLabel, line: 1, column: name, reason: "column appears twice in the header")], total: 1)
            }
            if let c = spec.columns.firstIndex(where: { $0.name == name }) {
                position[c] = i
            } else {
                warnings.append("\(fileLabel):1: \(name): not a contract column of \(spec.kind.fileName); ignored")
            }
        }
        let missing = spec.columns.indices.filter { spec.columns[$0].required && position[$0] == nil }
        if !missing.isEmpty {
            throw StoreError.rejected(missing.map {
                ImportIssue(file: fileLabel, line: 1, column: spec.columns[$0].name, reason: "required column missing from the header")
            }, total: missing.count)
        }

        let insert = try RawStatement(db, spec.insertSQL)
        var cells = [Cell](repeating: Cell(), count: spec.columns.count)
        var keysSeen = Set<String>()
        let keyColumns = spec.key.map { spec.index($0) }
        var rejectedWriter: CSVWriter?
        let hooks = Hooks(spec: spec)
        var lastProgress = 0

        while true {
            let more: Bool
            do { more = try reader.next() } catch let f as CSVReader.Failure {
                issue(f.line, "row", f.reason)
                break  // the rest of the file cannot be framed reliably
            }
            guard more else { break }
            let line = reader.recordLine
            var rowProblem: (String, String)? = nil
            if reader.fieldCount != header.count {
                rowProblem = ("row", "has \(reader.fieldCount) fields, the header has \(header.count)")
            } else {
                rowProblem = parseRow(reader, position, &cells)
                if rowProblem == nil { rowProblem = hooks.check(&cells, reader) }
                if rowProblem == nil, spec.mode == .state {
                    var key = ""
                    for c in keyColumns {
                        if let p = position[c] { reader.withField(p) { key += String(decoding: $0, as: UTF8.self) } }
                        key += "\u{1F}"
                    }
                    if !keysSeen.insert(key).inserted {
                        rowProblem = (spec.key.joined(separator: ","), "duplicate key: this key already appears earlier in the file")
                    }
                }
            }
            if rowProblem == nil, issueCount == 0 || skipBadRows {
                bind(insert, cells, reader)
                let rc = insert.stepCode()
                if rc != SQLITE_DONE {
                    let message = insert.errorMessage
                    insert.reset()
                    if rc & 0xFF == SQLITE_CONSTRAINT, message.contains("UNIQUE") || message.contains("PRIMARY KEY") {
                        rowProblem = (spec.key.joined(separator: ","), "duplicate key: already in the database or earlier in this file")
                    } else if rc & 0xFF == SQLITE_CONSTRAINT {
                        rowProblem = ("row", "violates a database constraint: \(message)")
                    } else {
                        throw StoreError.sqlite(code: rc, message: message, sql: insert.sql)
                    }
                } else {
                    insert.reset()
                    rowsImported += 1
                    hooks.after(cells, reader, importer: self)
                }
            }
            if let (column, reason) = rowProblem {
                issue(line, column, reason)
                if skipBadRows {
                    if rejectedWriter == nil {
                        let rp = FileImporter.rejectedPath(for: path)
                        rejectedWriter = try CSVWriter(path: rp, header: ["line", "column", "reason"] + header)
                        rejectedPath = rp
                    }
                    let w = rejectedWriter!
                    w.field(line); w.field(column); w.field(reason)
                    for i in 0..<min(reader.fieldCount, header.count) { w.field(reader.string(i) ?? "<invalid UTF-8>") }
                    if reader.fieldCount < header.count { for _ in reader.fieldCount..<header.count { w.null() } }
                    w.endRow()
                }
            }
            if let progress, rowsImported + issueCount - lastProgress >= 65_536 {
                lastProgress = rowsImported + issueCount
                progress(ImportProgress(file: path, bytesRead: reader.bytesRead, fileSize: reader.fileSize, rows: lastProgress))
            }
        }
        try rejectedWriter?.close()
        progress?(ImportProgress(file: path, bytesRead: reader.fileSize, fileSize: reader.fileSize, rows: rowsImported + issueCount))
    }

    static func rejectedPath(for path: String) -> String {
        path.hasSuffix(".csv") ? String(path.dropLast(4)) + ".rejected.csv" : path + ".rejected.csv"
    }

    /// Parses every contract column of the current record into `cells`. Returns the first problem.
    private func parseRow(_ r: CSVReader, _ position: [Int?], _ cells: inout [Cell]) -> (String, String)? {
        for (c, column) in spec.columns.enumerated() {
            guard let p = position[c], !r.isEmpty(p) else {
                if column.required { return (column.name, "required value is empty") }
                switch column.defaultValue {
                case .double(let d)?: cells[c].tag = 2; cells[c].double = d
                case .int(let i)?: cells[c].tag = 1; cells[c].int = i
                case .bool(let b)?: cells[c].tag = 1; cells[c].int = b ? 1 : 0
                case .text(let t)?: cells[c].tag = 4; cells[c].literal = t
                case nil: cells[c].tag = 0
                }
                continue
            }
            let problem: String? = r.withField(p) { b -> String? in
                switch column.type {
                case .text:
                    guard FileImporter.isValidUTF8(b) else { return "invalid UTF-8" }
                    cells[c].tag = 3; cells[c].field = p
                case .decimal(let nonNegative):
                    switch DecimalParser.parse(b) {
                    case .value(let v):
                        if nonNegative && v < 0 { return "must not be negative: \(FileImporter.show(b))" }
                        cells[c].tag = 2; cells[c].double = v
                    case .invalid: return "not a decimal number: \(FileImporter.show(b))"
                    case .outOfRange: return "number too large to store: \(FileImporter.show(b))"
                    }
                case .integer(let minimum):
                    switch DecimalParser.parseInteger(b) {
                    case .value(let v):
                        let i = Int64(v)
                        if i < minimum { return "must be at least \(minimum): \(FileImporter.show(b))" }
                        cells[c].tag = 1; cells[c].int = i
                    case .invalid: return "not a whole number: \(FileImporter.show(b))"
                    case .outOfRange: return "number too large to store: \(FileImporter.show(b))"
                    }
                case .date:
                    guard b.count == 10, let d = Day.parse(b) else { return "not a valid date (YYYY-MM-DD): \(FileImporter.show(b))" }
                    cells[c].tag = 1; cells[c].int = Int64(d.rawValue)
                case .timestamp:
                    guard let t = Timestamp.parse(b) else { return "not a valid ISO-8601 timestamp or date: \(FileImporter.show(b))" }
                    cells[c].tag = 5; cells[c].int = t.epochSeconds; cells[c].int2 = Int64(t.localDay.rawValue)
                case .dayOrTimestamp:
                    guard let t = Timestamp.parse(b) else { return "not a valid date or timestamp: \(FileImporter.show(b))" }
                    cells[c].tag = 1; cells[c].int = Int64(t.localDay.rawValue)
                case .boolean:
                    if FileImporter.equals(b, "true") { cells[c].tag = 1; cells[c].int = 1 }
                    else if FileImporter.equals(b, "false") { cells[c].tag = 1; cells[c].int = 0 }
                    else { return "not a boolean (true or false): \(FileImporter.show(b))" }
                case .enumeration(let options):
                    guard options.contains(where: { FileImporter.equals(b, $0) }) else {
                        return "\(FileImporter.show(b)) is not one of \(options.joined(separator: ", "))"
                    }
                    cells[c].tag = 3; cells[c].field = p
                case .reference(let reference):
                    guard FileImporter.isValidUTF8(b) else { return "invalid UTF-8" }
                    let id = String(decoding: b, as: UTF8.self)
                    if reference == .promotion {
                        guard refs.promotions.contains(id) else { return "unknown promo_id \(FileImporter.show(b)) (not in promotions)" }
                        cells[c].tag = 3; cells[c].field = p
                    } else {
                        guard let key = refs.lookup(reference, id) else {
                            return "unknown \(reference.noun) \(FileImporter.show(b))"
                        }
                        cells[c].tag = 1; cells[c].int = key
                    }
                }
                return nil
            }
            if let problem { return (column.name, problem) }
        }
        return nil
    }

    private func bind(_ s: RawStatement, _ cells: [Cell], _ r: CSVReader) {
        var i: Int32 = 1
        for cell in cells {
            switch cell.tag {
            case 1: s.bind(i, cell.int)
            case 2: s.bind(i, cell.double)
            case 3: r.withField(cell.field) { s.bind(i, text: $0) }
            case 4: s.bind(i, cell.literal)
            case 5: s.bind(i, cell.int); i += 1; s.bind(i, cell.int2)
            default: s.bindNull(i)
            }
            i += 1
        }
    }

    static func isValidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for x in b where x >= 0x80 { return String(validating: b, as: UTF8.self) != nil }
        return true
    }

    static func equals(_ b: UnsafeBufferPointer<UInt8>, _ s: String) -> Bool {
        let u = s.utf8
        guard b.count == u.count else { return false }
        var i = 0
        for x in u { if b[i] != x { return false }; i += 1 }
        return true
    }

    /// A field's value for an error message, quoted and shortened.
    static func show(_ b: UnsafeBufferPointer<UInt8>) -> String {
        let s = String(decoding: b.prefix(40), as: UTF8.self)
        return "'" + s + (b.count > 40 ? "…" : "") + "'"
    }
}

extension ContractFile.Reference {
    var noun: String {
        switch self {
        case .item: return "sku"
        case .location: return "location_id"
        case .supplier: return "supplier_id"
        case .zone: return "zone"
        case .promotion: return "promo_id"
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
