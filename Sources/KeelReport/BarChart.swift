/// A bar chart of categories × series: vertical or horizontal, bars side by side (grouped) or
/// stacked (positive values stack up from zero, negative values down from zero). The value axis
/// always includes zero and is ticked at nice numbers.
public struct BarChart: Sendable {
    public enum Orientation: Sendable { case vertical, horizontal }
    public enum Mode: Sendable { case grouped, stacked }
    public struct Series: Sendable {
        public var name: String
        public var values: [Double]
        public init(name: String, values: [Double]) { self.name = name; self.values = values }
    }

    public var title: String
    public var description: String
    public var categories: [String]
    public var series: [Series]
    public var orientation: Orientation
    public var mode: Mode
    public var valueLabel: String
    public var width: Double = 680
    /// The height of the plot; for horizontal charts the default grows with the categories.
    public var height: Double?

    public init(title: String, description: String, categories: [String], series: [Series], orientation: Orientation = .vertical,
                mode: Mode = .grouped, valueLabel: String = "") {
        self.title = title; self.description = description; self.categories = categories; self.series = series
        self.orientation = orientation; self.mode = mode; self.valueLabel = valueLabel
    }

    /// The value range the bars cover (finite values only; NaN is drawn as no bar).
    var valueExtent: (Double, Double) {
        var lo = 0.0, hi = 0.0
        for c in categories.indices {
            var up = 0.0, down = 0.0
            for s in series where c < s.values.count && s.values[c].isFinite {
                let v = s.values[c]
                switch mode {
                case .grouped: lo = min(lo, v); hi = max(hi, v)
                case .stacked: if v >= 0 { up += v } else { down += v }
                }
            }
            if mode == .stacked { lo = min(lo, down); hi = max(hi, up) }
        }
        return (lo, hi)
    }

    /// The value scale the chart uses.
    public var scale: NiceScale {
        let (lo, hi) = valueExtent
        return NiceScale(min: lo, max: hi, maxTicks: 6, includeZero: true)
    }

    /// Bar rectangles in drawing order: (category, series, frame). Exposed for tests of the geometry.
    public func bars(in f: ChartFrame) -> [(category: Int, series: Int, frame: ChartFrame)] {
        let s = scale
        let n = max(1, categories.count)
        let band = (orientation == .vertical ? f.width : f.height) / Double(n)
        let inner = band * 0.78
        let slots = mode == .grouped ? max(1, series.count) : 1
        let thickness = inner / Double(slots)
        // Position along the value axis, measured from the axis origin (left or bottom).
        func v(_ x: Double) -> Double { (x - s.lower) / (s.upper - s.lower) * (orientation == .vertical ? f.height : f.width) }
        var out: [(Int, Int, ChartFrame)] = []
        for c in categories.indices {
            var up = 0.0, down = 0.0
            for (k, sr) in series.enumerated() where c < sr.values.count && sr.values[c].isFinite {
                let value = sr.values[c]
                let (a, b): (Double, Double)
                switch mode {
                case .grouped: (a, b) = (min(0, value), max(0, value))
                case .stacked:
                    if value >= 0 { (a, b) = (up, up + value); up += value } else { (a, b) = (down + value, down); down += value }
                }
                let offset = Double(c) * band + (band - inner) / 2 + Double(mode == .grouped ? k : 0) * thickness
                let frame: ChartFrame
                switch orientation {
                case .vertical: frame = ChartFrame(x: f.x + offset, y: f.maxY - v(b), width: thickness * 0.92, height: v(b) - v(a))
                case .horizontal: frame = ChartFrame(x: f.x + v(a), y: f.y + offset, width: v(b) - v(a), height: thickness * 0.92)
                }
                out.append((c, k, frame))
            }
        }
        return out
    }

    var legendEntries: [(name: String, color: String, kind: SVGCanvas.LegendKind)] {
        series.enumerated().map { ($0.element.name, ChartPalette.color($0.offset), .swatch) }
    }

    /// The plot frame used by `svg`: room for the title, legend, labels and ticks.
    public var plotFrame: ChartFrame {
        var probe = SVGCanvas(width: width, height: 0)
        let legendHeight = series.count > 1 ? probe.legend(legendEntries, x: 12, y: 38, maxWidth: width - 24) : 0
        let top = 36 + legendHeight
        switch orientation {
        case .vertical:
            let h = height ?? 240
            let s = scale
            let tickWidth = Double(s.ticks.map { s.label($0).count }.max() ?? 1) * 6.6
            let left = max(60, tickWidth + (valueLabel.isEmpty ? 12 : 28))
            return ChartFrame(x: left, y: top, width: width - left - 16, height: h)
        case .horizontal:
            let labelWidth = min(220, 12 + Double(categories.map(\.count).max() ?? 4) * 6.2)
            let h = height ?? Double(max(1, categories.count)) * (mode == .grouped ? 10 + 12 * Double(max(1, series.count)) : 22)
            return ChartFrame(x: labelWidth + 12, y: top, width: width - labelWidth - 36, height: h)
        }
    }

    public func svg(id: String) -> String {
        let f = plotFrame
        let rotateLabels = orientation == .vertical && Double(categories.map(\.count).max() ?? 0) * 6 > f.width / Double(max(1, categories.count))
        let bottom = orientation == .vertical ? (rotateLabels ? 90.0 : 40) : 40
        var canvas = SVGCanvas(width: width, height: f.maxY + bottom)
        canvas.text(title, x: 12, y: 18, size: 13, bold: true)
        if series.count > 1 {
            canvas.legend(legendEntries, x: 12, y: 38, maxWidth: width - 24)
        }
        let s = scale
        let n = max(1, categories.count)
        switch orientation {
        case .vertical:
            func py(_ v: Double) -> Double { f.maxY - (v - s.lower) / (s.upper - s.lower) * f.height }
            for t in s.ticks {
                canvas.line(x1: f.x, y1: py(t), x2: f.maxX, y2: py(t), stroke: t == 0 ? ChartPalette.axis : ChartPalette.grid)
                canvas.text(s.label(t), x: f.x - 4, y: py(t) + 3.5, anchor: .end, fill: ChartPalette.axis)
            }
            let band = f.width / Double(n)
            for (c, name) in categories.enumerated() {
                let x = f.x + (Double(c) + 0.5) * band
                if rotateLabels { canvas.text(name, x: x, y: f.maxY + 10, anchor: .end, fill: ChartPalette.axis, rotate: -40) }
                else { canvas.text(name, x: x, y: f.maxY + 15, anchor: .middle, fill: ChartPalette.axis) }
            }
            if !valueLabel.isEmpty { canvas.text(valueLabel, x: 14, y: f.y + f.height / 2, anchor: .middle, fill: ChartPalette.axis, rotate: -90) }
        case .horizontal:
            func px(_ v: Double) -> Double { f.x + (v - s.lower) / (s.upper - s.lower) * f.width }
            for t in s.ticks {
                canvas.line(x1: px(t), y1: f.y, x2: px(t), y2: f.maxY, stroke: t == 0 ? ChartPalette.axis : ChartPalette.grid)
                canvas.text(s.label(t), x: px(t), y: f.maxY + 14, anchor: .middle, fill: ChartPalette.axis)
            }
            let band = f.height / Double(n)
            for (c, name) in categories.enumerated() {
                canvas.text(name, x: f.x - 6, y: f.y + (Double(c) + 0.5) * band + 4, anchor: .end, fill: ChartPalette.axis)
            }
            if !valueLabel.isEmpty { canvas.text(valueLabel, x: f.x + f.width / 2, y: f.maxY + 32, anchor: .middle, fill: ChartPalette.axis) }
        }
        for b in bars(in: f) {
            let v = series[b.series].values[b.category]
            canvas.rect(b.frame, fill: ChartPalette.color(b.series),
                        title: "\(categories[b.category]) — \(series[b.series].name): \(Markup.number(v, decimals: abs(v) < 10 ? 2 : 0))")
        }
        return canvas.document(id: id, title: title, description: description)
    }
}
