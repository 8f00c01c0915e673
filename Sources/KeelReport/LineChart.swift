import KeelCore

/// A line chart over days or numbers: lines (solid or dashed), shaded bands (prediction
/// intervals), an optional vertical marker (the forecast origin), nice-number y ticks, date or
/// number x ticks, a legend and an accessible title and description.
public struct LineChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var xs: [Double]
        public var ys: [Double]
        public var dashed: Bool
        public var color: Int
        public init(name: String, xs: [Double], ys: [Double], dashed: Bool = false, color: Int) {
            self.name = name; self.xs = xs; self.ys = ys; self.dashed = dashed; self.color = color
        }
    }
    public struct Band: Sendable {
        public var name: String
        public var xs: [Double]
        public var lower: [Double]
        public var upper: [Double]
        public var color: Int
        public init(name: String, xs: [Double], lower: [Double], upper: [Double], color: Int) {
            self.name = name; self.xs = xs; self.lower = lower; self.upper = upper; self.color = color
        }
    }
    public enum XAxis: Sendable { case numbers, days }

    public var title: String
    public var description: String
    public var series: [Series]
    public var bands: [Band]
    public var xAxis: XAxis
    public var yLabel: String
    /// A vertical dashed line at this x (e.g. the last day of history).
    public var marker: Double?
    public var includeZero: Bool
    public var width: Double = 680
    public var height: Double = 300

    public init(title: String, description: String, series: [Series], bands: [Band] = [], xAxis: XAxis = .days, yLabel: String = "",
                marker: Double? = nil, includeZero: Bool = true) {
        self.title = title; self.description = description; self.series = series; self.bands = bands; self.xAxis = xAxis
        self.yLabel = yLabel; self.marker = marker; self.includeZero = includeZero
    }

    /// The legend entries: bands first, then lines.
    var legendEntries: [(name: String, color: String, kind: SVGCanvas.LegendKind)] {
        bands.map { ($0.name, ChartPalette.color($0.color), .band) } + series.map { ($0.name, ChartPalette.color($0.color), $0.dashed ? .dashed : .line) }
    }

    /// The data extent: (minX, maxX, minY, maxY) over finite values.
    var extent: (Double, Double, Double, Double) {
        var x0 = Double.infinity, x1 = -Double.infinity, y0 = Double.infinity, y1 = -Double.infinity
        func take(_ xs: [Double], _ ys: [Double]) {
            for i in 0..<min(xs.count, ys.count) where xs[i].isFinite && ys[i].isFinite {
                x0 = min(x0, xs[i]); x1 = max(x1, xs[i]); y0 = min(y0, ys[i]); y1 = max(y1, ys[i])
            }
        }
        for s in series { take(s.xs, s.ys) }
        for b in bands { take(b.xs, b.lower); take(b.xs, b.upper) }
        if !x0.isFinite { x0 = 0; x1 = 1 }
        if !y0.isFinite { y0 = 0; y1 = 1 }
        if x0 == x1 { x1 = x0 + 1 }
        return (x0, x1, y0, y1)
    }

    /// The whole chart as one SVG document.
    public func svg(id: String) -> String {
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(title, x: 12, y: 18, size: 13, bold: true)
        let legendHeight = canvas.legend(legendEntries, x: 12, y: 36, maxWidth: width - 24)
        draw(into: &canvas, frame: ChartFrame(x: 56, y: 36 + legendHeight, width: width - 72, height: height - 36 - legendHeight - 30), compact: false)
        return canvas.document(id: id, title: title, description: description)
    }

    /// Draws axes, grid, bands, lines and marker inside `frame` (the plot area; labels go outside it).
    public func draw(into canvas: inout SVGCanvas, frame f: ChartFrame, compact: Bool) {
        let (x0, x1, y0, y1) = extent
        let yScale = NiceScale(min: y0, max: y1, maxTicks: compact ? 4 : 6, includeZero: includeZero)
        func px(_ x: Double) -> Double { f.x + (x - x0) / (x1 - x0) * f.width }
        func py(_ y: Double) -> Double { f.maxY - (y - yScale.lower) / (yScale.upper - yScale.lower) * f.height }
        for t in yScale.ticks {
            canvas.line(x1: f.x, y1: py(t), x2: f.maxX, y2: py(t), stroke: ChartPalette.grid)
            canvas.text(yScale.label(t), x: f.x - 4, y: py(t) + 3.5, anchor: .end, size: compact ? 9 : nil, fill: ChartPalette.axis)
        }
        switch xAxis {
        case .days:
            let ticks = DayTicks(from: Day(rawValue: Int32(x0)), to: Day(rawValue: Int32(x1)), maxTicks: compact ? 4 : 8)
            for d in ticks.days {
                let x = px(Double(d.rawValue))
                canvas.line(x1: x, y1: f.maxY, x2: x, y2: f.maxY + 4, stroke: ChartPalette.axis)
                canvas.text(ticks.label(d), x: x, y: f.maxY + 15, anchor: .middle, size: compact ? 9 : nil, fill: ChartPalette.axis)
            }
        case .numbers:
            let xScale = NiceScale(min: x0, max: x1, maxTicks: compact ? 4 : 8)
            for t in xScale.ticks where t >= x0 && t <= x1 {
                canvas.line(x1: px(t), y1: f.maxY, x2: px(t), y2: f.maxY + 4, stroke: ChartPalette.axis)
                canvas.text(xScale.label(t), x: px(t), y: f.maxY + 15, anchor: .middle, size: compact ? 9 : nil, fill: ChartPalette.axis)
            }
        }
        canvas.line(x1: f.x, y1: f.maxY, x2: f.maxX, y2: f.maxY, stroke: ChartPalette.axis)
        canvas.line(x1: f.x, y1: f.y, x2: f.x, y2: f.maxY, stroke: ChartPalette.axis)
        if !yLabel.isEmpty, !compact {
            canvas.text(yLabel, x: f.x - 42, y: f.y + f.height / 2, anchor: .middle, fill: ChartPalette.axis, rotate: -90)
        }
        for b in bands {
            canvas.band(xs: b.xs.map(px), lower: b.lower.map(py), upper: b.upper.map(py), fill: ChartPalette.color(b.color), opacity: 0.22)
        }
        if let marker, marker >= x0, marker <= x1 {
            canvas.line(x1: px(marker), y1: f.y, x2: px(marker), y2: f.maxY, stroke: ChartPalette.axis, dashed: true)
        }
        for s in series {
            canvas.polyline(xs: s.xs.map(px), ys: s.ys.map(py), stroke: ChartPalette.color(s.color), width: compact ? 1.3 : 1.8, dashed: s.dashed)
        }
    }
}
