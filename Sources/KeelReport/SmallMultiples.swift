/// A grid of small line charts sharing one legend (Tufte's small multiples): one panel per
/// group, each with its own y scale and its title above it.
public struct SmallMultiples: Sendable {
    public var title: String
    public var description: String
    public var panels: [LineChart]
    public var columns: Int
    public var width: Double = 680
    public var panelHeight: Double = 150

    public init(title: String, description: String, panels: [LineChart], columns: Int = 3) {
        self.title = title; self.description = description; self.panels = panels; self.columns = max(1, columns)
    }

    public func svg(id: String) -> String {
        let cols = min(columns, max(1, panels.count))
        let rows = (panels.count + cols - 1) / cols
        var probe = SVGCanvas(width: width, height: 0)
        let legendHeight = panels.first.map { probe.legend($0.legendEntries, x: 12, y: 36, maxWidth: width - 24) } ?? 0
        let top = 36 + legendHeight
        let cellWidth = (width - 8) / Double(cols)
        var canvas = SVGCanvas(width: width, height: top + Double(rows) * panelHeight + 8)
        canvas.text(title, x: 12, y: 18, size: 13, bold: true)
        if let first = panels.first { canvas.legend(first.legendEntries, x: 12, y: 36, maxWidth: width - 24) }
        for (i, p) in panels.enumerated() {
            let cx = 8 + Double(i % cols) * cellWidth, cy = top + Double(i / cols) * panelHeight
            canvas.text(p.title, x: cx + cellWidth / 2, y: cy + 12, anchor: .middle, size: 11, bold: true)
            p.draw(into: &canvas, frame: ChartFrame(x: cx + 40, y: cy + 20, width: cellWidth - 52, height: panelHeight - 44), compact: true)
        }
        return canvas.document(id: id, title: title, description: description)
    }
}
