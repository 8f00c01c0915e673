import Foundation
import KeelStore

/// The demo's written report: the data summary as a self-contained HTML page and as JSON.
public enum DemoReport {
    /// Writes `summary.html` and `summary.json` into `folder`; returns the HTML path.
    public static func write(status: StatusReport, importReport: ImportReport, to folder: String) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        try e.encode(status).write(to: URL(fileURLWithPath: folder + "/summary.json"))
        var html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Keel demo — data summary</title>
            <style>body{font:14px system-ui,sans-serif;margin:2em;color:#1d2733}table{border-collapse:collapse;margin:1em 0}
            td,th{padding:4px 10px;border-bottom:1px solid #dde3ea;text-align:right}td:first-child,th:first-child{text-align:left}
            h1{font-size:20px}h2{font-size:16px;margin-top:2em}</style></head><body>
            <h1>Keel demo — operational core</h1>
            <p>Database <code>\(escape(status.database))</code>; history \(status.firstSalesDay?.description ?? "-") … \(status.lastSalesDay?.description ?? "-"),
            \(status.demandSeries) demand series; imported \(importReport.rowsImported) rows in \(String(format: "%.2f", importReport.seconds)) s.</p>
            <h2>Rows</h2><table><tr><th>table</th><th>rows</th></tr>
            """
        for t in StatusReport.countedTables { html += "<tr><td>\(t)</td><td>\(SummaryText.group(status.counts[t] ?? 0))</td></tr>" }
        html += "</table><h2>Stock by node type</h2><table><tr><th>type</th><th>locations</th><th>on hand</th><th>reserved</th><th>damaged</th><th>in transit</th><th>available</th><th>value at cost</th></tr>"
        for r in status.stock {
            html += "<tr><td>\(r.locationType)</td><td>\(r.locations)</td><td>\(SummaryText.group(Int(r.onHand)))</td><td>\(SummaryText.group(Int(r.reserved)))</td><td>\(SummaryText.group(Int(r.damaged)))</td><td>\(SummaryText.group(Int(r.inTransit)))</td><td>\(SummaryText.group(Int(r.availableToSell)))</td><td>\(SummaryText.group(Int(r.stockValueAtCost)))</td></tr>"
        }
        html += "</table><h2>Sales by channel</h2><table><tr><th>channel</th><th>lines</th><th>units</th><th>net revenue</th></tr>"
        for r in status.sales {
            html += "<tr><td>\(r.channel)</td><td>\(SummaryText.group(r.lines))</td><td>\(SummaryText.group(Int(r.units)))</td><td>\(SummaryText.group(Int(r.netRevenue)))</td></tr>"
        }
        html += "</table></body></html>\n"
        let path = folder + "/summary.html"
        try Data(html.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
