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
    /// One parsed value, plain data only (no references to count) so the row loop stays cheap.
    struct Cell {
        var tag: UInt8 = 0  // 0 null, 1 integer, 2 double, 3 text from the field, 4 default text, 5 timestamp
        var int: Int64 = 0  // integer value, day, enumeration option index, default text index
        var int2: Int64 = 0
        var double: Double = 0
        var field: Int = 0
    }

    /// How to read one contract column, resolved once per file from the spec and the header.
    struct ColumnPlan {
        enum Kind: UInt8 { case text, decimal, integer, date, timestamp, dayOrTimestamp, boolean, enumeration, reference, promotion }
        var kind: Kind
        var required: Bool
        var nonNegative = false
        var minimum: Int64 = 0
        var options = 0  // index into `optionBytes` for enumerations
        var reference: ContractFile.Reference = .item
        var position = -1  // header position, -1 when absent
        var defaultCell = Cell()
    }

    let spec: ContractFile
    let path: String
    let refs: ReferenceTables
    let skipBadRows: Bool
    let progress: ((ImportProgress) -> Void)?
    static let maxReportedIssues = 100

    private(set) var issues: [ImportIssue] = []
    private(set) var issueCount = 0
    private(set) var rowsImported = 0
    private(set) var warnings: [String] = []
    private(set) var rejectedPath: String?
    private var optionBytes: [[[UInt8]]] = []
    private var optionNames: [[String]] = []
    private var defaultTexts: [String] = []

    // Side products for the caller.
    var demand = DemandAccumulator()
    var stockPairs = Set<UInt64>()
    /// (location_key << 24 | item_key) << 17 | day → (restocked, damaged) units from returns.
    var returnDeltas: [UInt64: (restock: Double, damaged: Double)] = [:]

    init(spec: ContractFile, path: String, refs: ReferenceTables, skipBadRows: Bool, progress: ((ImportProgress) -> Void)?) {
        self.spec = spec
        self.path = path
        self.refs = refs
        self.skipBadRows = skipBadRows
        self.progress = progress
    }

    private func issue(_ line: Int, _ column: String, _ reason: String) {
        issueCount += 1
        if issues.count < FileImporter.maxReportedIssues {
            issues.append(ImportIssue(file: path, line: line, column: column, reason: reason))
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
            throw StoreError.rejected([ImportIssue(file: path, line: f.line, column: "header", reason: f.reason)], total: 1)
        }
        guard hasHeader else {
            throw StoreError.rejected([ImportIssue(file: path, line: 1, column: "header", reason: "empty file: the header row is missing")], total: 1)
        }
        var header: [String] = []
        for i in 0..<reader.fieldCount {
            guard let name = reader.string(i) else {
                throw StoreError.rejected([ImportIssue(file: path, line: 1, column: "header", reason: "invalid UTF-8 in the header")], total: 1)
            }
            header.append(name.trimmingSpaces)
        }
        var position = [Int?](repeating: nil, count: spec.columns.count)
        var seen = Set<String>()
        for (i, name) in header.enumerated() {
            guard seen.insert(name).inserted else {
                throw StoreError.rejected([ImportIssue(file: path, line: 1, column: name, reason: "column appears twice in the header")], total: 1)
            }
            if let c = spec.columns.firstIndex(where: { $0.name == name }) {
                position[c] = i
            } else {
                warnings.append("\(path):1: \(name): not a contract column of \(spec.kind.fileName); ignored")
            }
        }
        let missing = spec.columns.indices.filter { spec.columns[$0].required && position[$0] == nil }
        if !missing.isEmpty {
            throw StoreError.rejected(missing.map {
                ImportIssue(file: path, line: 1, column: spec.columns[$0].name, reason: "required column missing from the header")
            }, total: missing.count)
        }

        let plans = makePlans(position)
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
                rowProblem = parseRow(reader, plans, &cells)
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

    /// Resolves the spec's columns against the header into plain plans.
    private func makePlans(_ position: [Int?]) -> [ColumnPlan] {
        spec.columns.enumerated().map { c, column in
            var plan: ColumnPlan
            switch column.type {
            case .text: plan = ColumnPlan(kind: .text, required: column.required)
            case .decimal(let nonNegative): plan = ColumnPlan(kind: .decimal, required: column.required, nonNegative: nonNegative)
            case .integer(let minimum): plan = ColumnPlan(kind: .integer, required: column.required, minimum: minimum)
            case .date: plan = ColumnPlan(kind: .date, required: column.required)
            case .timestamp: plan = ColumnPlan(kind: .timestamp, required: column.required)
            case .dayOrTimestamp: plan = ColumnPlan(kind: .dayOrTimestamp, required: column.required)
            case .boolean: plan = ColumnPlan(kind: .boolean, required: column.required)
            case .enumeration(let options):
                plan = ColumnPlan(kind: .enumeration, required: column.required, options: optionBytes.count)
                optionBytes.append(options.map { Array($0.utf8) })
                optionNames.append(options)
            case .reference(let r):
                plan = ColumnPlan(kind: r == .promotion ? .promotion : .reference, required: column.required, reference: r)
            }
            plan.position = position[c] ?? -1
            switch column.defaultValue {
            case .double(let d)?: plan.defaultCell.tag = 2; plan.defaultCell.double = d
            case .int(let i)?: plan.defaultCell.tag = 1; plan.defaultCell.int = i
            case .bool(let b)?: plan.defaultCell.tag = 1; plan.defaultCell.int = b ? 1 : 0
            case .text(let t)?: plan.defaultCell.tag = 4; plan.defaultCell.int = Int64(defaultTexts.count); defaultTexts.append(t)
            case nil: break
            }
            return plan
        }
    }

    /// Parses every contract column of the current record into `cells`. Returns the first problem.
    private func parseRow(_ r: CSVReader, _ plans: [ColumnPlan], _ cells: inout [Cell]) -> (String, String)? {
        for c in 0..<plans.count {
            let plan = plans[c]
            let p = plan.position
            if p < 0 || r.isEmpty(p) {
                if plan.required { return (spec.columns[c].name, "required value is empty") }
                cells[c] = plan.defaultCell
                continue
            }
            var cell = Cell()
            let problem: String? = r.withField(p) { b -> String? in
                switch plan.kind {
                case .text:
                    guard FileImporter.isValidUTF8(b) else { return "invalid UTF-8" }
                    cell.tag = 3; cell.field = p
                case .decimal:
                    switch DecimalParser.parse(b) {
                    case .value(let v):
                        if plan.nonNegative && v < 0 { return "must not be negative: \(FileImporter.show(b))" }
                        cell.tag = 2; cell.double = v
                    case .invalid: return "not a decimal number: \(FileImporter.show(b))"
                    case .outOfRange: return "number too large to store: \(FileImporter.show(b))"
                    }
                case .integer:
                    switch DecimalParser.parseInteger(b) {
                    case .value(let v):
                        let i = Int64(v)
                        if i < plan.minimum { return "must be at least \(plan.minimum): \(FileImporter.show(b))" }
                        cell.tag = 1; cell.int = i
                    case .invalid: return "not a whole number: \(FileImporter.show(b))"
                    case .outOfRange: return "number too large to store: \(FileImporter.show(b))"
                    }
                case .date:
                    guard b.count == 10, let d = Day.parse(b) else { return "not a valid date (YYYY-MM-DD): \(FileImporter.show(b))" }
                    cell.tag = 1; cell.int = Int64(d.rawValue)
                case .timestamp:
                    guard let t = Timestamp.parse(b) else { return "not a valid ISO-8601 timestamp or date: \(FileImporter.show(b))" }
                    cell.tag = 5; cell.int = t.epochSeconds; cell.int2 = Int64(t.localDay.rawValue)
                case .dayOrTimestamp:
                    guard let t = Timestamp.parse(b) else { return "not a valid date or timestamp: \(FileImporter.show(b))" }
                    cell.tag = 1; cell.int = Int64(t.localDay.rawValue)
                case .boolean:
                    if FileImporter.equals(b, FileImporter.trueBytes) { cell.tag = 1; cell.int = 1 }
                    else if FileImporter.equals(b, FileImporter.falseBytes) { cell.tag = 1; cell.int = 0 }
                    else { return "not a boolean (true or false): \(FileImporter.show(b))" }
                case .enumeration:
                    guard let option = optionBytes[plan.options].firstIndex(where: { FileImporter.equals(b, $0) }) else {
                        return "\(FileImporter.show(b)) is not one of \(optionNames[plan.options].joined(separator: ", "))"
                    }
                    cell.tag = 3; cell.field = p; cell.int = Int64(option)
                case .promotion:
                    guard FileImporter.isValidUTF8(b) else { return "invalid UTF-8" }
                    guard refs.promotions.contains(String(decoding: b, as: UTF8.self)) else {
                        return "unknown promo_id \(FileImporter.show(b)) (not in promotions)"
                    }
                    cell.tag = 3; cell.field = p
                case .reference:
                    guard FileImporter.isValidUTF8(b) else { return "invalid UTF-8" }
                    guard let key = refs.lookup(plan.reference, String(decoding: b, as: UTF8.self)) else {
                        return "unknown \(plan.reference.noun) \(FileImporter.show(b))"
                    }
                    cell.tag = 1; cell.int = key
                }
                return nil
            }
            if let problem { return (spec.columns[c].name, problem) }
            cells[c] = cell
        }
        return nil
    }

    private func bind(_ s: RawStatement, _ cells: [Cell], _ r: CSVReader) {
        var i: Int32 = 1
        for cell in cells {
            switch cell.tag {
            case 1: s.bind(i, cell.int)
            case 2: s.bind(i, cell.double)
            case 3: r.withField(cell.field) { s.bind(i, staticText: $0) }
            case 4: s.bind(i, defaultTexts[Int(cell.int)])
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

    static let trueBytes = Array("true".utf8), falseBytes = Array("false".utf8)

    @inline(__always)
    static func equals(_ b: UnsafeBufferPointer<UInt8>, _ s: [UInt8]) -> Bool {
        guard b.count == s.count else { return false }
        for i in 0..<s.count where b[i] != s[i] { return false }
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
