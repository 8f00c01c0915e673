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
        struct Row { var key: Int; var ds: Int; var y: Double; var line: Int }
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
            let key: Int
            if let k = keys[id] { key = k } else { key = names.count; keys[id] = key; names.append(id) }
            rows.append(Row(key: key, ds: ds, y: y, line: line))
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
            let day = Day(rawValue: Int32(ds))
            switch freq {
            case .daily, .hourly, .index: return ds
            case .weekly: return ds
            case .monthly, .quarterly:
                let c = day.civil
                guard c.day == 1 else { problem(line, "ds", "\(day) is not the first day of a month (monthly data)"); return nil }
                return c.year * 12 + c.month - 1
            }
        }
        var panel = SeriesPanel(frequency: freq)
        let stride = freq == .weekly ? 7 : (freq == .quarterly ? 3 : 1)
        var i = 0
        while i < rows.count {
            let key = rows[i].key
            var values: [Double] = []
            guard let start = period(rows[i].ds, line: rows[i].line) else { i += 1; continue }
            var expected = start
            while i < rows.count, rows[i].key == key {
                guard let p = period(rows[i].ds, line: rows[i].line) else { i += 1; continue }
                if (p - start) % stride != 0 { problem(rows[i].line, "ds", "off the \(freq) grid of this series"); i += 1; continue }
                while expected < p { values.append(.nan); expected += stride }  // a gap is missing, not zero
                values.append(rows[i].y)
                expected = p + stride
                i += 1
            }
            let storedStart = (freq == .monthly || freq == .quarterly) ? start : start
            panel.append(id: names[key], start: storedStart, values: values)
        }
        if !problems.isEmpty { throw Failure(messages: problems) }
        return panel
    }
}
