/// Renders a `ReportDocument` as one self-contained HTML page: inline CSS, inline SVG, a table
/// of contents; no scripts, fonts, images or links to anything outside the page.
public enum HTMLDocument {
    static let css = """
        body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d2733;background:#f6f8fa}
        main{max-width:760px;margin:0 auto;padding:24px 28px;background:#fff}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:36px 0 8px;border-bottom:1px solid #dde3ea;padding-bottom:4px}
        p.sub{color:#5b6673;margin:0 0 16px}nav ol{padding-left:20px;columns:2}
        table{border-collapse:collapse;margin:12px 0;font-size:13px;width:100%}caption{text-align:left;font-weight:600;padding:4px 0}
        th,td{padding:3px 8px;border-bottom:1px solid #e3e8ee;text-align:left;vertical-align:top}th{background:#f1f4f7}
        .num{text-align:right;font-variant-numeric:tabular-nums}figure{margin:16px 0}figure svg{max-width:100%;height:auto}
        figcaption{font-size:12px;color:#5b6673}
        """

    public static func render(_ doc: ReportDocument) -> String {
        var out = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Markup.escape(doc.title))</title><style>\(css)</style></head>
            <body><main><h1>\(Markup.escape(doc.title))</h1><p class="sub">\(Markup.escape(doc.subtitle))</p>
            <nav aria-label="Sections"><ol>
            """
        for s in doc.sections { out += "<li><a href=\"#\(Markup.escape(s.id))\">\(Markup.escape(s.title))</a></li>" }
        out += "</ol></nav>\n"
        for s in doc.sections {
            out += "<section id=\"\(Markup.escape(s.id))\"><h2>\(Markup.escape(s.title))</h2>\n"
            for b in s.blocks {
                switch b {
                case .text(let t): out += "<p>\(Markup.escape(t))</p>\n"
                case .table(let t): out += t.html + "\n"
                case .chart(let c): out += "<figure>\(c.svg)<figcaption>\(Markup.escape(c.summary))</figcaption></figure>\n"
                }
            }
            out += "</section>\n"
        }
        return out + "</main></body></html>\n"
    }
}
