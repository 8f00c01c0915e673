/// Renders a `ReportDocument` as a Jupyter notebook (nbformat 4.5) whose outputs are already
/// rendered, so it reads well in Jupyter, VS Code or GitHub without a kernel.
///
/// Each section becomes a markdown cell (heading and paragraphs); each table and chart becomes
/// a code cell whose source names what it shows and whose one output is `display_data` with
/// `text/html` (tables) or `image/svg+xml` (charts) plus `text/plain`. Cell ids are
/// `keel-0001`, `keel-0002`, … (unique, matching nbformat's `^[a-zA-Z0-9-_]+$`, 1–64 chars).
public enum NotebookWriter {
    public static func notebook(_ doc: ReportDocument) -> JSONValue {
        var cells: [JSONValue] = []
        func id() -> JSONValue {
            let n = String(cells.count + 1)
            return .string("keel-" + String(repeating: "0", count: max(0, 4 - n.count)) + n)
        }
        func markdown(_ text: String) {
            cells.append(.object([("cell_type", .string("markdown")), ("id", id()), ("metadata", .object([])), ("source", lines(text))]))
        }
        func display(_ source: String, _ data: [(String, String)]) {
            let output: JSONValue = .object([
                ("output_type", .string("display_data")),
                ("data", .object(data.map { ($0.0, lines($0.1)) })),
                ("metadata", .object([])),
            ])
            cells.append(.object([
                ("cell_type", .string("code")), ("execution_count", .null), ("id", id()), ("metadata", .object([])),
                ("outputs", .array([output])), ("source", lines(source)),
            ]))
        }
        markdown("# \(Markup.markdownEscape(doc.title))\n\n\(Markup.markdownEscape(doc.subtitle))\n\n"
                 + doc.sections.enumerated().map { "\($0.offset + 1). \(Markup.markdownEscape($0.element.title))" }.joined(separator: "\n"))
        for s in doc.sections {
            var pending = "## \(Markup.markdownEscape(s.title))"
            for b in s.blocks {
                switch b {
                case .text(let t): pending += "\n\n" + Markup.markdownEscape(t)
                case .table(let t):
                    if !pending.isEmpty { markdown(pending); pending = "" }
                    display("# Table rendered by `keel report`: \(t.caption)", [("text/html", t.html), ("text/plain", t.plainText)])
                case .chart(let c):
                    if !pending.isEmpty { markdown(pending); pending = "" }
                    display("# Chart drawn by `keel report` (SVG): \(c.title)", [("image/svg+xml", c.svg), ("text/plain", c.title + "\n" + c.summary)])
                }
            }
            if !pending.isEmpty { markdown(pending) }
        }
        return .object([
            ("cells", .array(cells)),
            ("metadata", .object([
                ("kernelspec", .object([("display_name", .string("Python 3")), ("language", .string("python")), ("name", .string("python3"))])),
                ("language_info", .object([("name", .string("python"))])),
                ("keel", .object([("generator", .string("keel report")), ("title", .string(doc.title))])),
            ])),
            ("nbformat", .number(4)),
            ("nbformat_minor", .number(5)),
        ])
    }

    /// The notebook's JSON text.
    public static func render(_ doc: ReportDocument) -> String { notebook(doc).serialized() + "\n" }

    /// A multi-line string as nbformat's list of lines, each but the last ending in `\n`.
    static func lines(_ text: String) -> JSONValue {
        var out: [JSONValue] = []
        var current = ""
        for ch in text {
            current.append(ch)
            if ch == "\n" { out.append(.string(current)); current = "" }
        }
        if !current.isEmpty { out.append(.string(current)) }
        return .array(out)
    }
}
