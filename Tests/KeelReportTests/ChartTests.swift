import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import KeelCore
@testable import KeelReport
import Testing

/// Parses `text` as XML; returns the parser error, or nil when well-formed. Also collects the
/// element names seen.
final class XMLCheck: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var texts = ""
    static func parse(_ text: String) -> (error: String?, elements: [String], text: String) {
        let parser = XMLParser(data: Data(text.utf8))
        let d = XMLCheck()
        parser.delegate = d
        let ok = parser.parse()
        return (ok ? nil : "\(parser.parserError.map { String(describing: $0) } ?? "unknown") at line \(parser.lineNumber) column \(parser.columnNumber)", d.elements, d.texts)
    }
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(name)
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { texts += string }
}

@Suite struct ChartTests {
    // Heckbert's nice numbers, worked by hand: 0…97 with 5 ticks → range nice(97) = 100,
    // step nice(100/4 = 25, rounded) = 20 → 0, 20, …, 100.
    @Test func niceTicksByHand() {
        let a = NiceScale(min: 0, max: 97, maxTicks: 5)
        #expect(a.ticks == [0, 20, 40, 60, 80, 100])
        // −3.2…8.7, 6 ticks: range nice(11.9) = 20, step nice(4) = 5 → −5 … 10.
        let b = NiceScale(min: -3.2, max: 8.7, maxTicks: 6)
        #expect(b.ticks == [-5, 0, 5, 10])
        // 0.013…0.087, 5 ticks: range nice(0.074) = 0.1, step nice(0.025) = 0.02 → 0 … 0.1 (two decimals).
        let c = NiceScale(min: 0.013, max: 0.087, maxTicks: 5)
        #expect(c.step == 0.02 && c.lower == 0 && abs(c.upper - 0.1) < 1e-12 && c.decimals == 2)
        #expect(c.label(0.04) == "0.04")
        // A constant series still gets an axis; includeZero pulls 0 in.
        #expect(NiceScale(min: 5, max: 5, includeZero: true).lower == 0)
        #expect(zip(NiceScale(min: 0, max: 0).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1.0]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(NiceScale(min: 1200, max: 48_000).label(20_000) == "20,000")
    }

    // 2026-03-01 is a Sunday (ISO weekday 7), so the Mondays of March 2026 are the 2nd, 9th, 16th, 23rd, 30th.
    @Test func dayTicksByHand() {
        let march = DayTicks(from: Day("2026-03-01")!, to: Day("2026-03-31")!, maxTicks: 6)
        #expect(march.days.map(\.description) == ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30"])
        #expect(march.label(march.days[0]) == "Mar 2")
        let week = DayTicks(from: Day("2026-03-01")!, to: Day("2026-03-05")!, maxTicks: 8)
        #expect(week.days.count == 5 && !week.monthly)
        // A year: monthly is 12 ticks (> 6), two-monthly gives Mar, May, Jul, Sep, Nov 2026 and Jan 2027.
        let year = DayTicks(from: Day("2026-02-15")!, to: Day("2027-02-14")!, maxTicks: 6)
        #expect(year.monthly)
        #expect(year.days.map(\.description) == ["2026-03-01", "2026-05-01", "2026-07-01", "2026-09-01", "2026-11-01", "2027-01-01"])
        #expect(year.label(year.days[0]) == "Mar 2026")
    }

    func lineChart(title: String = "Demand <A&B>") -> LineChart {
        let start = Double(Day("2026-03-01")!.rawValue)
        let xs = (0..<20).map { start + Double($0) }
        let actual = (0..<20).map { $0 < 14 ? Double($0 % 7) : Double.nan }
        let mean = (0..<20).map { $0 < 14 ? Double.nan : 3.0 }
        return LineChart(title: title, description: "test \"chart\"",
                         series: [.init(name: "actual", xs: xs, ys: actual, color: 7), .init(name: "forecast", xs: xs, ys: mean, dashed: true, color: 0)],
                         bands: [.init(name: "q0.1–q0.9", xs: xs, lower: mean.map { $0 - 1 }, upper: mean.map { $0 + 2 }, color: 0)],
                         marker: start + 13.5)
    }

    @Test func everyChartIsWellFormedAccessibleSVG() {
        let bars = { (o: BarChart.Orientation, m: BarChart.Mode) in
            BarChart(title: "Bars \(o) \(m) & <co>", description: "d", categories: ["north & south", "<east>", "west"],
                     series: [.init(name: "a", values: [3, -1, 7.5]), .init(name: "b", values: [2, 4, .nan])], orientation: o, mode: m)
        }
        let svgs = [
            lineChart().svg(id: "c1"),
            bars(.vertical, .grouped).svg(id: "c2"), bars(.vertical, .stacked).svg(id: "c3"),
            bars(.horizontal, .grouped).svg(id: "c4"), bars(.horizontal, .stacked).svg(id: "c5"),
            SmallMultiples(title: "Small multiples", description: "three panels", panels: [lineChart(title: "x"), lineChart(title: "y"), lineChart(title: "z")]).svg(id: "c6"),
        ]
        for (i, svg) in svgs.enumerated() {
            let parsed = XMLCheck.parse(svg)
            #expect(parsed.error == nil, "chart \(i + 1): \(parsed.error ?? "")")
            #expect(parsed.elements.first == "svg")
            #expect(parsed.elements.contains("title") && parsed.elements.contains("desc"))
            #expect(svg.contains("role=\"img\"") && svg.contains("aria-labelledby=\"c\(i + 1)-title c\(i + 1)-desc\""))
            // Self-contained: no scripts, no external references.
            #expect(!svg.contains("<script") && !svg.contains("href") && !svg.contains("url("))
        }
        #expect(XMLCheck.parse(svgs[0]).text.contains("Demand <A&B>"))
        #expect(svgs[0].contains("Demand &lt;A&amp;B&gt;"))
        // The line breaks at NaN: the actual line and the forecast line are separate paths; the band is one path.
        #expect(svgs[0].components(separatedBy: "<path").count - 1 == 3)
    }

    // Geometry by hand: values 50 and 100 on a 0…100 scale in a 200-unit-high plot → bars 100 and
    // 200 high, standing on the bottom edge; stacked 30 + 70 → one column 0…100.
    @Test func barGeometryByHand() {
        let frame = ChartFrame(x: 10, y: 20, width: 400, height: 200)
        let grouped = BarChart(title: "t", description: "d", categories: ["a", "b"], series: [.init(name: "s", values: [50, 100])])
        #expect(grouped.scale.lower == 0 && grouped.scale.upper == 100)
        let g = grouped.bars(in: frame)
        #expect(g.count == 2)
        #expect(abs(g[0].frame.height - 100) < 1e-9 && abs(g[0].frame.maxY - 220) < 1e-9)
        #expect(abs(g[1].frame.height - 200) < 1e-9 && abs(g[1].frame.y - 20) < 1e-9)
        let stacked = BarChart(title: "t", description: "d", categories: ["a"], series: [.init(name: "x", values: [30]), .init(name: "y", values: [70])],
                               orientation: .horizontal, mode: .stacked)
        let s = stacked.bars(in: frame)
        #expect(abs(s[0].frame.x - 10) < 1e-9 && abs(s[0].frame.width - 120) < 1e-9)
        #expect(abs(s[1].frame.x - 130) < 1e-9 && abs(s[1].frame.width - 280) < 1e-9)
        #expect(s[0].frame.y == s[1].frame.y)
        // A negative value in a stacked chart hangs below zero: scale −50…100 (step 50).
        let negative = BarChart(title: "t", description: "d", categories: ["a"], series: [.init(name: "x", values: [100]), .init(name: "y", values: [-50])])
        #expect(negative.scale.lower == -50 && negative.scale.upper == 100)
        let n = negative.bars(in: frame)
        #expect(abs(n[1].frame.y - (20 + 200.0 * 100 / 150)) < 1e-9 && abs(n[1].frame.height - 200.0 * 50 / 150) < 1e-9)
    }

    @Test func markupEscapesAndFormats() {
        #expect(Markup.escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;")
        #expect(Markup.number(1_234_567.891, decimals: 2) == "1,234,567.89")
        #expect(Markup.number(-0.0001, decimals: 2) == "0.00")
        #expect(Markup.number(-1234) == "-1,234")
        #expect(Markup.percent(0.1234) == "12.3%")
        #expect(Markup.level(0.95) == "q0.95" && Markup.level(0.5) == "q0.5")
        #expect(Markup.markdownEscape("*a* <b>") == "\\*a\\* &lt;b&gt;")
    }
}
