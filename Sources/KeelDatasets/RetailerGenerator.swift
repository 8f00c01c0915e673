import Foundation
import KeelCore

/// Generates a synthetic mid-market fashion and general-merchandise retailer as the contract's
/// CSV files (plus `anomalies_truth.csv`, the ground truth of the injected anomalies).
///
/// Deterministic: the same configuration gives byte-identical files. Single-threaded; the
/// benchmark configuration (50 stores, 2000 SKUs, 365 days) writes millions of sales lines.
public enum RetailerGenerator {
    public static func generate(_ config: RetailerConfiguration, to directory: String,
                                progress: ((Double) -> Void)? = nil) throws -> GenerationSummary {
        try config.validate()
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw GeneratorError("cannot create \(directory): \(error)")
        }
        let network = Network.build(config)
        let calendar = RetailCalendar(start: config.startDate, days: config.days)
        // Anomaly counts: tens for the demo, growing with the square root of the data's size.
        let size = Double(config.stores * config.skus * config.days) / Double(12 * 400 * 730)
        let scale = min(6, max(0.05, size.squareRoot()))
        func count(_ base: Double) -> Int { config.anomalies ? max(2, Int((base * scale).rounded())) : 0 }
        let pricing = PricingPlan.build(config, network: network, conflictCount: count(8))
        var plan = AnomalyPlan(locations: network.locations.count)
        var files: [FileCount] = []
        do {
            try network.writeMasterFiles(in: directory, counts: &files)
            files.append(FileCount(name: "prices.csv", rows: try pricing.writePrices(to: directory + "/prices.csv", network: network, start: config.startDate)))
            files.append(FileCount(name: "promotions.csv", rows: try pricing.writePromotions(to: directory + "/promotions.csv", network: network, start: config.startDate)))
            for c in pricing.conflicts {
                for d in c.start...c.end {
                    plan.record(TruthRow(kind: .channelPriceConflict, sku: network.items[c.sku].id, date: config.startDate.adding(d),
                                         channel: c.channel, category: Assortment.categories[network.items[c.sku].category].name))
                }
            }
            var rng = SeededRandom(seed: config.seed, stream: 8)
            let stores = Array(0..<config.stores)
            let window = 14..<(config.days - 3)
            if config.anomalies {
                plan.schedule(.priceBelowCost, count: count(16), locations: stores, days: window, rng: &rng)
                plan.schedule(.priceBelowCost, count: count(6), locations: [config.stores], days: window, rng: &rng)
                plan.schedule(.priceOverride, count: count(20), locations: stores, days: window, rng: &rng)
                plan.schedule(.promoOutsideWindow, count: count(15), locations: stores, days: window, rng: &rng)
                plan.schedule(.refundExceedsSale, count: count(15), locations: stores, days: 7..<(config.days - 35), rng: &rng)
                plan.schedule(.refundTenderMismatch, count: count(15), locations: stores, days: 7..<(config.days - 35), rng: &rng)
                plan.schedule(.settlementMismatch, count: count(24), locations: stores, days: window, rng: &rng)
                plan.schedule(.inventoryMismatch, count: count(24), locations: stores, days: window, rng: &rng)
            }
            let sim = try Simulation(config: config, network: network, pricing: pricing, calendar: calendar, plan: plan, dir: directory)
            if config.anomalies { sim.planPairAnomalies(count: count, rng: &rng) }
            try sim.run(progress: progress)
            for (name, w) in [("sales.csv", sim.sales), ("returns.csv", sim.returns), ("inventory.csv", sim.inventory),
                              ("purchase_orders.csv", sim.purchaseOrders), ("transfers.csv", sim.transfers),
                              ("settlements.csv", sim.settlements)] {
                files.append(FileCount(name: name, rows: w.rowsWritten))
            }
            files.append(FileCount(name: "orders.csv", rows: try sim.writeOpenOrders()))
            sim.recordEntityAnomalies()
            plan = sim.plan
            if config.anomalies {
                files.append(FileCount(name: "anomalies_truth.csv", rows: try plan.write(to: directory + "/anomalies_truth.csv")))
            }
        } catch let e as CSVWriter.Failure {
            throw GeneratorError(e.description)
        }
        var injected: [String: Int] = [:]
        for (i, k) in AnomalyKind.allCases.enumerated() where plan.counts[i] > 0 { injected[k.rawValue] = plan.counts[i] }
        progress?(1)
        return GenerationSummary(files: files, injectedAnomalies: injected)
    }
}
