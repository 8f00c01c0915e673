/// A table of preformatted cells; numeric columns are right-aligned.
public struct ReportTable: Sendable {
    public struct Column: Sendable {
        public var name: String
        public var numeric: Bool
        public init(_ name: String, numeric: Bool = false) { self.name = name; self.numeric = numeric }
    }
    public var caption: String
    public var columns: [Column]
    public var rows: [[String]]
    public init(caption: String, columns: [Column], rows: [[String]]) { self.caption = caption; self.columns = columns; self.rows = rows }

    /// A fixed-width text rendering (the notebook's `text/plain` output).
    public var plainText: String {
        var widths = columns.map(\.name.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
                return columns[i].numeric ? pad + c : c + pad
            }.joined(separator: "  ")
        }
        var out = caption + "\n" + line(columns.map(\.name)) + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        for r in rows { out += "\n" + line((0..<columns.count).map { $0 < r.count ? r[$0] : "" }) }
        return out
    }

    /// The table as an HTML `<table>` (cells escaped).
    public var html: String {
        var out = "<table><caption>\(Markup.escape(caption))</caption><thead><tr>"
        for c in columns { out += c.numeric ? "<th class=\"num\">\(Markup.escape(c.name))</th>" : "<th>\(Markup.escape(c.name))</th>" }
        out += "</tr></thead><tbody>"
        for r in rows {
            out += "<tr>"
            for (i, c) in columns.enumerated() {
                let v = i < r.count ? Markup.escape(r[i]) : ""
                out += c.numeric ? "<td class=\"num\">\(v)</td>" : "<td>\(v)</td>"
            }
            out += "</tr>"
        }
        return out + "</tbody></table>"
    }
}
