/// A report as content, independent of its rendering: sections of paragraphs, tables and
/// charts. `HTMLDocument` and `NotebookWriter` render the same document, so the page and the
/// notebook always say the same thing.
public struct ReportDocument: Sendable {
    public var title: String
    public var subtitle: String
    public var sections: [ReportSection]
    public init(title: String, subtitle: String, sections: [ReportSection]) {
        self.title = title; self.subtitle = subtitle; self.sections = sections
    }

    /// Every chart of every section, in order.
    public var charts: [ReportChart] {
        sections.flatMap { $0.blocks.compactMap { if case .chart(let c) = $0 { return c } else { return nil } } }
    }
}

public struct ReportSection: Sendable {
    /// The anchor (`[a-z0-9-]`), unique within the document.
    public var id: String
    public var title: String
    public var blocks: [ReportBlock]
    public init(id: String, title: String, blocks: [ReportBlock] = []) { self.id = id; self.title = title; self.blocks = blocks }

    public mutating func text(_ s: String) { blocks.append(.text(s)) }
    public mutating func table(_ t: ReportTable) { blocks.append(.table(t)) }
    public mutating func chart(_ c: ReportChart) { blocks.append(.chart(c)) }
}

public enum ReportBlock: Sendable {
    /// A paragraph of plain text (escaped by each renderer).
    case text(String)
    case table(ReportTable)
    case chart(ReportChart)
}

/// One rendered chart: its SVG text, its title and a plain-text summary (the notebook's
/// `text/plain` output, and what a screen reader or a terminal shows).
public struct ReportChart: Sendable {
    public var id: String
    public var title: String
    public var svg: String
    public var summary: String
    public init(id: String, title: String, svg: String, summary: String) { self.id = id; self.title = title; self.svg = svg; self.summary = summary }

    public init(id: String, _ chart: LineChart) { self.init(id: id, title: chart.title, svg: chart.svg(id: id), summary: chart.description) }
    public init(id: String, _ chart: BarChart) { self.init(id: id, title: chart.title, svg: chart.svg(id: id), summary: chart.description) }
    public init(id: String, _ chart: SmallMultiples) { self.init(id: id, title: chart.title, svg: chart.svg(id: id), summary: chart.description) }
}

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
