import Foundation
import KeelCore
import KeelStore

/// The plain-text summary `keel status` and `keel demo` print.
public enum SummaryText {
    public static func render(_ s: StatusReport) -> String {
        var out = "database: \(s.database)\n"
        if let a = s.firstSalesDay, let b = s.lastSalesDay { out += "history:  \(a) … \(b) (\(b - a + 1) days), \(s.demandSeries) demand series\n" }
        out += "\nrows\n"
        let shown = StatusReport.countedTables.filter { (s.counts[$0] ?? 0) > 0 || ["sales", "items", "locations"].contains($0) }
        for t in shown { out += "  " + pad(t, 22) + lpad(group(s.counts[t] ?? 0), 12) + "\n" }
        if !s.stock.isEmpty {
            out += "\nstock by node type          on hand   reserved    damaged  in transit  available  value at cost\n"
            for r in s.stock {
                out += "  " + pad("\(r.locationType) (\(r.locations))", 22) + lpad(group(Int(r.onHand)), 11) + lpad(group(Int(r.reserved)), 11)
                    + lpad(group(Int(r.damaged)), 11) + lpad(group(Int(r.inTransit)), 12) + lpad(group(Int(r.availableToSell)), 11)
                    + lpad(money(r.stockValueAtCost), 15) + "\n"
            }
        }
        if !s.sales.isEmpty {
            out += "\nsales by channel             lines       units    net revenue\n"
            for r in s.sales {
                out += "  " + pad(r.channel, 22) + lpad(group(r.lines), 11) + lpad(group(Int(r.units)), 12) + lpad(money(r.netRevenue), 15) + "\n"
            }
        }
        if !s.runs.isEmpty {
            out += "\nlatest runs\n"
            for r in s.runs {
                let secs = r.seconds.map { String(format: "%.2fs", $0) } ?? "-"
                out += "  #\(r.runId) \(pad(r.kind, 12)) \(pad(r.status, 10)) \(lpad(secs, 9))  rows \(r.rowsWritten ?? 0)"
                    + (r.error.map { "  error: \($0.prefix(100))" } ?? "") + "\n"
            }
        }
        return out
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    static func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
    public static func group(_ v: Int) -> String {
        let s = String(v.magnitude)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (v < 0 ? "-" : "") + out
    }
    static func money(_ v: Double) -> String { group(Int(v.rounded())) }
}
