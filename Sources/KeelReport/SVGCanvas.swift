/// A rectangle in SVG user units.
public struct ChartFrame: Sendable, Equatable {
    public var x: Double, y: Double, width: Double, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) { self.x = x; self.y = y; self.width = width; self.height = height }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
}

/// Builds one self-contained SVG document as text: no scripts, no external fonts or images.
/// The root carries `role="img"` and `aria-labelledby` pointing at its `<title>` and `<desc>`.
public struct SVGCanvas {
    public let width: Double
    public let height: Double
    private(set) var body = ""

    public init(width: Double, height: Double) {
        self.width = width; self.height = height
        body.reserveCapacity(16_384)
    }

    /// The finished document. `id` must be unique within the page that embeds it.
    public func document(id: String, title: String, description: String) -> String {
        let w = Markup.coord(width), h = Markup.coord(height), i = Markup.escape(id)
        return """
            <svg xmlns="http://www.w3.org/2000/svg" id="\(i)" viewBox="0 0 \(w) \(h)" width="\(w)" height="\(h)" \
            role="img" aria-labelledby="\(i)-title \(i)-desc" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" \
            font-size="11" fill="\(ChartPalette.text)">\
            <title id="\(i)-title">\(Markup.escape(title))</title><desc id="\(i)-desc">\(Markup.escape(description))</desc>\
            <rect x="0" y="0" width="\(w)" height="\(h)" fill="#ffffff"/>\(body)</svg>
            """
    }

    public mutating func rect(_ f: ChartFrame, fill: String, opacity: Double = 1, title: String? = nil) {
        guard f.width > 0 || f.height > 0 else { return }
        body += "<rect x=\"\(Markup.coord(f.x))\" y=\"\(Markup.coord(f.y))\" width=\"\(Markup.coord(max(0, f.width)))\" height=\"\(Markup.coord(max(0, f.height)))\" fill=\"\(fill)\""
        if opacity < 1 { body += " fill-opacity=\"\(Markup.opacity(opacity))\"" }
        if let title { body += "><title>\(Markup.escape(title))</title></rect>" } else { body += "/>" }
    }

    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dashed: Bool = false) {
        body += "<line x1=\"\(Markup.coord(x1))\" y1=\"\(Markup.coord(y1))\" x2=\"\(Markup.coord(x2))\" y2=\"\(Markup.coord(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Markup.coord(width))\""
        body += dashed ? " stroke-dasharray=\"4 3\"/>" : "/>"
    }

    /// A polyline through the points; a NaN point breaks the line into pieces.
    public mutating func polyline(xs: [Double], ys: [Double], stroke: String, width: Double = 1.6, dashed: Bool = false) {
        var d = ""
        var pen = false
        for i in 0..<min(xs.count, ys.count) {
            guard xs[i].isFinite, ys[i].isFinite else { pen = false; continue }
            d += (pen ? "L" : "M") + Markup.coord(xs[i]) + " " + Markup.coord(ys[i])
            pen = true
        }
        guard !d.isEmpty else { return }
        body += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Markup.coord(width))\" stroke-linejoin=\"round\""
        body += dashed ? " stroke-dasharray=\"5 3\"/>" : "/>"
    }

    /// A filled band between `lower` and `upper` over `xs`; NaN points split it into pieces.
    public mutating func band(xs: [Double], lower: [Double], upper: [Double], fill: String, opacity: Double) {
        var start = 0
        let n = min(xs.count, lower.count, upper.count)
        while start < n {
            while start < n, !(xs[start].isFinite && lower[start].isFinite && upper[start].isFinite) { start += 1 }
            var end = start
            while end < n, xs[end].isFinite, lower[end].isFinite, upper[end].isFinite { end += 1 }
            if end > start {
                var d = ""
                for i in start..<end { d += (i == start ? "M" : "L") + Markup.coord(xs[i]) + " " + Markup.coord(upper[i]) }
                for i in (start..<end).reversed() { d += "L" + Markup.coord(xs[i]) + " " + Markup.coord(lower[i]) }
                body += "<path d=\"\(d)Z\" fill=\"\(fill)\" fill-opacity=\"\(Markup.opacity(opacity))\" stroke=\"none\"/>"
            }
            start = end
        }
    }

    public enum Anchor: String { case start, middle, end }

    public mutating func text(_ s: String, x: Double, y: Double, anchor: Anchor = .start, size: Double? = nil, bold: Bool = false,
                              fill: String? = nil, rotate: Double? = nil) {
        body += "<text x=\"\(Markup.coord(x))\" y=\"\(Markup.coord(y))\""
        if anchor != .start { body += " text-anchor=\"\(anchor.rawValue)\"" }
        if let size { body += " font-size=\"\(Markup.coord(size))\"" }
        if bold { body += " font-weight=\"600\"" }
        if let fill { body += " fill=\"\(fill)\"" }
        if let rotate { body += " transform=\"rotate(\(Markup.coord(rotate)) \(Markup.coord(x)) \(Markup.coord(y)))\"" }
        body += ">\(Markup.escape(s))</text>"
    }

    /// A legend row of colour swatches and names starting at (`x`, `y`); returns its height.
    @discardableResult
    public mutating func legend(_ entries: [(name: String, color: String, kind: LegendKind)], x: Double, y: Double, maxWidth: Double) -> Double {
        var cx = x, cy = y
        for e in entries {
            let w = 22 + Double(e.name.count) * 6.2
            if cx + w > x + maxWidth, cx > x { cx = x; cy += 16 }
            switch e.kind {
            case .swatch: rect(ChartFrame(x: cx, y: cy - 8, width: 10, height: 10), fill: e.color)
            case .band: rect(ChartFrame(x: cx, y: cy - 8, width: 14, height: 10), fill: e.color, opacity: 0.25)
            case .line: line(x1: cx, y1: cy - 3, x2: cx + 14, y2: cy - 3, stroke: e.color, width: 2)
            case .dashed: line(x1: cx, y1: cy - 3, x2: cx + 14, y2: cy - 3, stroke: e.color, width: 2, dashed: true)
            }
            text(e.name, x: cx + 18, y: cy)
            cx += w + 8
        }
        return cy - y + 16
    }

    public enum LegendKind: Sendable { case swatch, band, line, dashed }
}
