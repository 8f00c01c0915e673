import KeelCore

/// Reads the long format shared by most forecasting libraries: `unique_id,ds,y` (plus optional
/// exogenous numeric columns, which are ignored here). Rows may come in any order; each series is
/// sorted by `ds`.
///
/// Documented behaviour for awkward input:
/// - `ds` is a date (`YYYY-MM-DD`) or a whole number (an index). The frequency is inferred from
///   the smallest step between consecutive dates (1 day → daily, 7 → weekly, ~1 month → monthly,
///   ~3 months → quarterly) unless given.
/// - A gap in a series (a missing period) becomes a missing value (NaN): models treat it as
///   unknown, not as zero. An empty `y` is missing too.
/// - A duplicate (unique_id, ds), a non-numeric `y`, a `ds` that is neither a date nor an
///   integer, or dates off the frequency's grid (e.g. 2024-01-15 in monthly data) are errors with
///   `file:line: column: reason`.
public enum LongFormatReader {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var messages: [String]
        public var description: String { messages.joined(separator: "\n") }
    }

    /// Reads the future values of the exogenous columns (`unique_id,ds,<columns>`) for the
    /// `horizon` periods after each series' last period. Every series needs exactly those rows:
    /// a missing period, a `ds` outside the horizon, an unknown `unique_id`, a missing column or a
    /// non-numeric or empty value is an error with its line.
    public static func readFuture(path: String, into panel: inout SeriesPanel, horizon: Int) throws {
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { throw Failure(messages: ["\(path): \(error)"]) }
        guard try reader.next() else { throw Failure(messages: ["\(path):1: header: empty file"]) }
        var header: [String] = []
        for i in 0..<reader.fieldCount { header.append(reader.string(i) ?? "") }
        guard let iid = header.firstIndex(of: "unique_id"), let ids = header.firstIndex(of: "ds") else {
            throw Failure(messages: ["\(path):1: header: unique_id and ds are required"])
        }
        guard !panel.exogenousNames.isEmpty else {
            throw Failure(messages: ["\(path): --future given but the training file has no exogenous columns"])
        }
        let missing = panel.exogenousNames.filter { !header.contains($0) }
        if !missing.isEmpty { throw Failure(messages: missing.map { "\(path):1: \($0): required column missing (it is in the training file)" }) }
        let columns = panel.exogenousNames.map { header.firstIndex(of: $0)! }
        let k = columns.count
        var index: [String: Int] = [:]
        for (s, id) in panel.ids.enumerated() { index[id] = s }
        var future = [Double](repeating: .nan, count: panel.count * horizon * k)
        var seen = [Bool](repeating: false, count: panel.count * horizon)
        var problems: [String] = []
        let step = panel.frequency == .weekly ? 7 : (panel.frequency == .quarterly ? 3 : 1)
        while try reader.next() {
            let line = reader.recordLine
            guard reader.fieldCount == header.count else { problems.append("\(path):\(line): row: has \(reader.fieldCount) fields, the header has \(header.count)"); continue }
            let id = reader.string(iid) ?? ""
            guard let s = index[id] else { problems.append("\(path):\(line): unique_id: '\(id.prefix(40))' is not in the training file"); continue }
            let dsText = reader.string(ids) ?? ""
            let p: Int?
            switch panel.frequency {
            case .hourly, .index: p = Int(dsText)
            default: p = Day(dsText).flatMap { period(day: $0, frequency: panel.frequency) }
            }
            guard let p else { problems.append("\(path):\(line): ds: '\(dsText.prefix(40))' is not a \(panel.frequency) period"); continue }
            let first = panel.starts[s] + panel.range(s).count * step
            let j = (p - first) / step
            guard (p - first) % step == 0, j >= 0, j < horizon else {
                problems.append("\(path):\(line): ds: \(dsText) is not in the forecast horizon of \(id) (\(panel.label(start: panel.starts[s], step: panel.range(s).count)) … \(horizon) periods)")
                continue
            }
            guard !seen[s * horizon + j] else { problems.append("\(path):\(line): ds: duplicate (unique_id, ds)"); continue }
            seen[s * horizon + j] = true
            for (c, column) in columns.enumerated() {
                guard case .value(let v) = reader.withField(column, { DecimalParser.parse($0, limit: 1e300) }) else {
                    problems.append("\(path):\(line): \(header[column]): future values must be numbers")
                    break
                }
                future[(s * horizon + j) * k + c] = v
            }
        }
        for s in 0..<panel.count {
            for j in 0..<horizon where !seen[s * horizon + j] {
                problems.append("\(path): \(panel.ids[s]): future values missing for \(panel.label(start: panel.starts[s], step: panel.range(s).count + j))")
                break
            }
        }
        if !problems.isEmpty { throw Failure(messages: Array(problems.prefix(100))) }
        panel.future = future
        panel.futureHorizon = horizon
    }

    /// The period index of a date on the frequency's grid (days since 1970 for daily and weekly
    /// data, `year × 12 + month − 1` for monthly and quarterly); nil for a monthly date that is not
    /// the first of its month.
    static func period(day: Day, frequency: SeriesPanel.Frequency) -> Int? {
        switch frequency {
        case .monthly, .quarterly:
            let c = day.civil
            return c.day == 1 ? c.year * 12 + c.month - 1 : nil
        case .daily, .weekly, .hourly, .index:
            return Int(day.rawValue)
        }
    }

    public static func read(path: String, frequency: SeriesPanel.Frequency? = nil) throws -> SeriesPanel {
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { throw Failure(messages: ["\(path): \(error)"]) }
        guard try reader.next() else { throw Failure(messages: ["\(path):1: header: empty file"]) }
        var header: [String] = []
        for i in 0..<reader.fieldCount { header.append(reader.string(i) ?? "") }
        guard let iid = header.firstIndex(of: "unique_id"), let ids = header.firstIndex(of: "ds"), let iy = header.firstIndex(of: "y") else {
            let missing = ["unique_id", "ds", "y"].filter { !header.contains($0) }
            throw Failure(messages: missing.map { "\(path):1: \($0): required column missing from the header" })
        }
        struct Row { var key: Int; var ds: Int; var y: Double; var line: Int; var x: [Double] }
        // Every other column is an exogenous numeric regressor.
        let exogenousColumns = header.indices.filter { ![iid, ids, iy].contains($0) }
        var keys: [String: Int] = [:]
        var names: [String] = []
        var rows: [Row] = []
        var problems: [String] = []
        var isDate: Bool? = nil
        func problem(_ line: Int, _ column: String, _ reason: String) {
            if problems.count < 100 { problems.append("\(path):\(line): \(column): \(reason)") }
        }
        while try reader.next() {
            let line = reader.recordLine
            guard reader.fieldCount == header.count else { problem(line, "row", "has \(reader.fieldCount) fields, the header has \(header.count)"); continue }
            guard let id = reader.string(iid), !id.isEmpty else { problem(line, "unique_id", "empty or invalid UTF-8"); continue }
            var ds = 0
            let dsText = reader.string(ids) ?? ""
            if let d = Day(dsText), dsText.count == 10 {
                if isDate == false { problem(line, "ds", "mixes dates and integers"); continue }
                isDate = true; ds = Int(d.rawValue)
            } else if let i = Int(dsText) {
                if isDate == true { problem(line, "ds", "mixes dates and integers"); continue }
                isDate = false; ds = i
            } else { problem(line, "ds", "not a date (YYYY-MM-DD) or an integer: '\(dsText.prefix(40))'"); continue }
            var y = Double.nan
            if !reader.isEmpty(iy) {
                let r = reader.withField(iy) { DecimalParser.parse($0, limit: 1e300) }
                switch r {
                case .value(let v): y = v
                case .invalid: problem(line, "y", "not a number: '\((reader.string(iy) ?? "").prefix(40))'"); continue
                case .outOfRange: problem(line, "y", "number too large"); continue
                }
            }
            var x: [Double] = []
            var badColumn: String? = nil
            for c in exogenousColumns {
                if reader.isEmpty(c) { x.append(.nan); continue }
                if case .value(let v) = reader.withField(c, { DecimalParser.parse($0, limit: 1e300) }) { x.append(v) } else { badColumn = header[c]; break }
            }
            if let badColumn { problem(line, badColumn, "not a number: '\((reader.string(header.firstIndex(of: badColumn)!) ?? "").prefix(40))'"); continue }
            let key: Int
            if let k = keys[id] { key = k } else { key = names.count; keys[id] = key; names.append(id) }
            rows.append(Row(key: key, ds: ds, y: y, line: line, x: x))
        }
        if !problems.isEmpty { throw Failure(messages: problems) }
        guard !rows.isEmpty else { throw Failure(messages: ["\(path): no rows"]) }
        rows.sort { $0.key != $1.key ? $0.key < $1.key : $0.ds < $1.ds }

        // Frequency from the smallest positive step.
        var minStep = Int.max
        for i in 1..<rows.count where rows[i].key == rows[i - 1].key {
            let step = rows[i].ds - rows[i - 1].ds
            if step == 0 { problem(rows[i].line, "ds", "duplicate (unique_id, ds): \(names[rows[i].key]) at line \(rows[i - 1].line) and here") }
            else { minStep = min(minStep, step) }
        }
        if !problems.isEmpty { throw Failure(messages: problems) }
        let freq: SeriesPanel.Frequency
        if let frequency { freq = frequency }
        else if isDate == true {
            switch minStep {
            case 1: freq = .daily
            case 7: freq = .weekly
            case 28...31: freq = .monthly
            case 89...92: freq = .quarterly
            case Int.max: freq = .daily
            default: throw Failure(messages: ["\(path): ds: cannot infer the frequency from a step of \(minStep) days; give --freq"])
            }
        } else { freq = .index }

        // Map each ds to a period index on the frequency's grid.
        func period(_ ds: Int, line: Int) -> Int? {
            guard isDate == true else { return ds }
            guard let p = LongFormatReader.period(day: Day(rawValue: Int32(ds)), frequency: freq) else {
                problem(line, "ds", "\(Day(rawValue: Int32(ds))) is not the first day of a month (monthly data)"); return nil
            }
            return p
        }
        var panel = SeriesPanel(frequency: freq)
        panel.exogenousNames = exogenousColumns.map { header[$0] }
        let k = exogenousColumns.count
        let stride = freq == .weekly ? 7 : (freq == .quarterly ? 3 : 1)
        var i = 0
        while i < rows.count {
            let key = rows[i].key
            var values: [Double] = [], x: [Double] = []
            guard let start = period(rows[i].ds, line: rows[i].line) else { i += 1; continue }
            var expected = start
            while i < rows.count, rows[i].key == key {
                guard let p = period(rows[i].ds, line: rows[i].line) else { i += 1; continue }
                if (p - start) % stride != 0 { problem(rows[i].line, "ds", "off the \(freq) grid of this series"); i += 1; continue }
                while expected < p {  // a gap is missing, not zero
                    values.append(.nan); x.append(contentsOf: repeatElement(.nan, count: k)); expected += stride
                }
                values.append(rows[i].y)
                x.append(contentsOf: rows[i].x)
                expected = p + stride
                i += 1
            }
            panel.append(id: names[key], start: start, values: values, exogenous: x)
        }
        if !problems.isEmpty { throw Failure(messages: problems) }
        return panel
    }
}
