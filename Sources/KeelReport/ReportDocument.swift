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
