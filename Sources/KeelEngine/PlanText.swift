import Foundation

/// Plain-text summaries of planning and simulation for the terminal.
public enum PlanText {
    public static func render(_ s: PlanJob.Summary) -> String {
        var out = "replenishment run #\(s.replenishmentRunId) and transfers run #\(s.transfersRunId) from forecast run #\(s.forecastRunId), as of \(s.asOf)\n"
        out += "  \(s.pairs) location × sku policies; \(s.replenishmentLines) order lines (\(s.supplierLines) to suppliers, \(s.storeLines) from DCs to stores)\n"
        out += String(format: "  supplier order value %.2f\n", s.orderValue)
        out += "  lines by class: " + s.linesByClass.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        out += String(format: "  %d transfers, %.0f units, expected benefit %.2f (%d candidate arcs)\n", s.transferLines, s.transferUnits, s.transferBenefit, s.transferArcs)
        out += "  seconds: " + s.seconds.sorted { $0.key < $1.key }.map { String(format: "%@ %.2f", $0.key, $0.value) }.joined(separator: ", ") + "\n"
        return out
    }

    public static func render(_ s: SimulationJob.Summary) -> String {
        var out = "simulation run #\(s.runId): \(s.days) held-out days after \(s.asOf)\n"
        out += "group        policy    pairs  target   fill   lost units  avg inventory   turns  holding   orders\n"
        for label in s.keel.keys.sorted(by: { ($0 == "overall" ? 1 : 0, $0) < ($1 == "overall" ? 1 : 0, $1) }) {
            for (name, figures) in [("keel", s.keel[label]), ("min/max", s.baseline[label])] {
                guard let f = figures else { continue }
                out += String(format: "%@ %@ %6d  %@  %5.1f%% %11.0f %14.2f %7.2f %8.2f %8d\n",
                              label.padding(toLength: 12, withPad: " ", startingAt: 0), name.padding(toLength: 8, withPad: " ", startingAt: 0),
                              f.pairs, f.target.map { String(format: "%5.1f%%", 100 * $0) } ?? "     -", 100 * f.fillRate, f.lostUnits,
                              f.averageInventoryValue, f.turns, f.holdingCost, f.orders)
            }
        }
        out += String(format: "min/max buffer tuned to %.2f days of demand; Keel holds %.1f%% less average inventory value at the same overall fill rate\n",
                       s.baselineBufferDays, 100 * s.inventoryReduction)
        return out
    }
}
