import ArgumentParser
import Foundation
import KeelPolicy

/// `keel policy KIND …`: single-item inventory policy maths (no database). Costs are expected
/// costs per period; `--mean`/`--sd`/`--poisson` describe demand per period; `--lead-time L`
/// means stock covers L + 1 periods of demand.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Single-item inventory policy maths: eoq, newsvendor, rq, ss, wagner-whitin, safety-stock.",
        subcommands: [EOQKind.self, NewsvendorKind.self, RQKind.self, SSKind.self, WagnerWhitinKind.self, SafetyStockKind.self])
}

/// Demand per period: normal (`--mean`, `--sd`), Poisson (`--poisson`), or — for safety stock —
/// a pmf over 0, 1, 2, … (`--pmf`) or an equally weighted sample (`--sample`).
struct DemandOptions: ParsableArguments {
    @Option(help: "Mean demand per period (normal; with --sd).") var mean: Double?
    @Option(help: "Standard deviation of demand per period (normal; with --mean).") var sd: Double?
    @Option(help: "Poisson demand with this mean per period.") var poisson: Double?

    func distribution(allowNormal: Bool = true) throws -> DemandDistribution {
        switch (mean, sd, poisson) {
        case (let m?, let s?, nil):
            guard allowNormal else { throw CLIError.badInput("this policy needs discrete demand: give --poisson μ") }
            return try DemandDistribution.normal(mean: m, standardDeviation: s)
        case (nil, nil, let mu?): return try DemandDistribution.poisson(mean: mu)
        case (_?, nil, nil): throw CLIError.badInput("--mean needs --sd")
        case (nil, _?, nil): throw CLIError.badInput("--sd needs --mean")
        case (nil, nil, nil):
            throw CLIError.badInput(allowNormal ? "give the demand: --mean μ --sd σ, or --poisson μ" : "give the demand: --poisson μ")
        default: throw CLIError.badInput("give either --mean and --sd, or --poisson, not both")
        }
    }
}

/// Runs a policy computation, translating `PolicyError` (bad input) to exit 2.
func runPolicy(_ body: () throws -> Void) throws {
    try runCommand {
        do { try body() } catch let e as PolicyError { throw CLIError.badInput(e.description) }
    }
}

func formatted(_ x: Double) -> String { String(format: "%.4f", x) }

struct EOQKind: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eoq", abstract: "Economic order quantity, optionally with planned backorders.")
    @Option(help: "Fixed cost K per order.") var fixedCost: Double
    @Option(help: "Holding cost h per unit per period.") var holding: Double
    @Option(help: "Demand rate λ per period.") var demandRate: Double
    @Option(help: "Backorder cost p per unit per period (planned backorders).") var backorderCost: Double?
    @Flag(help: "Print one JSON object.") var json = false

    struct Output: Encodable {
        let order_quantity: Double, cost: Double, maximum_backorder: Double, cycle_length: Double
    }

    func run() throws {
        try runPolicy {
            let r = try EOQ.solve(fixedCost: fixedCost, holding: holding, demandRate: demandRate, backorderCost: backorderCost)
            if json {
                printJSON(Output(order_quantity: r.orderQuantity, cost: r.cost, maximum_backorder: r.maximumBackorder, cycle_length: r.cycleLength))
            } else {
                print(
                    "EOQ: order quantity \(formatted(r.orderQuantity)), cost per period \(formatted(r.cost))"
                        + (backorderCost == nil ? "" : ", largest backlog \(formatted(r.maximumBackorder))")
                        + ", an order every \(formatted(r.cycleLength)) periods")
            }
        }
    }
}

struct NewsvendorKind: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsvendor", abstract: "Newsvendor / base-stock level: covers L + 1 periods of demand.")
    @Option(help: "Holding cost h per unit per period.") var holding: Double
    @Option(help: "Stockout (backorder) cost p per unit per period.") var stockout: Double
    @OptionGroup var demand: DemandOptions
    @Option(help: "Lead time L in periods (stock covers L + 1 periods).") var leadTime = 0
    @Flag(help: "Print one JSON object.") var json = false

    struct Output: Encodable { let base_stock: Double, cost: Double, critical_ratio: Double }

    func run() throws {
        try runPolicy {
            let r = try Newsvendor.solve(holding: holding, stockout: stockout, demand: try demand.distribution(), leadTime: leadTime)
            if json {
                printJSON(Output(base_stock: r.baseStock, cost: r.cost, critical_ratio: r.criticalRatio))
            } else {
                print(
                    "newsvendor: base stock \(formatted(r.baseStock)), expected cost per period \(formatted(r.cost)) (critical ratio \(formatted(r.criticalRatio)))"
                )
            }
        }
    }
}

struct RQKind: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rq", abstract: "Optimal (r, Q) policy with backorders (exact for Poisson demand).")
    @Option(help: "Holding cost h per unit per period.") var holding: Double
    @Option(help: "Stockout (backorder) cost p per unit per period.") var stockout: Double
    @Option(help: "Fixed cost K per order.") var fixedCost: Double
    @OptionGroup var demand: DemandOptions
    @Option(help: "Lead time L in periods.") var leadTime: Int
    @Option(help: "periodic (stock covers L + 1 periods; default) or continuous (covers L; Poisson or normal).") var review = "periodic"
    @Flag(help: "Print one JSON object.") var json = false

    struct Output: Encodable { let reorder_point: Double, order_quantity: Double, cost: Double, order_frequency: Double }

    func run() throws {
        try runPolicy {
            let r: RQPolicy.Result
            switch review {
            case "periodic":
                r = try RQPolicy.optimize(
                    holding: holding, stockout: stockout, fixedCost: fixedCost, demand: try demand.distribution(), leadTime: leadTime)
            case "continuous":
                guard leadTime >= 0 else { throw CLIError.badInput("lead time: must be 0 or more periods, got \(leadTime)") }
                r = try RQPolicy.optimizeContinuousReview(
                    holding: holding, stockout: stockout, fixedCost: fixedCost, demand: try demand.distribution(),
                    leadTime: Double(leadTime))
            default: throw CLIError.badInput("--review must be periodic or continuous, got '\(review)'")
            }
            if json {
                printJSON(Output(reorder_point: r.reorderPoint, order_quantity: r.orderQuantity, cost: r.cost, order_frequency: r.orderFrequency))
            } else {
                print(
                    "(r, Q): reorder point \(formatted(r.reorderPoint)), order quantity \(formatted(r.orderQuantity)), expected cost per period \(formatted(r.cost))"
                )
            }
        }
    }
}

struct SSKind: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ss", abstract: "Optimal (s, S) policy for Poisson demand (Zheng–Federgruen).")
    @Option(help: "Holding cost h per unit per period.") var holding: Double
    @Option(help: "Stockout (backorder) cost p per unit per period.") var stockout: Double
    @Option(help: "Fixed cost K per order.") var fixedCost: Double
    @OptionGroup var demand: DemandOptions
    @Option(help: "Lead time L in periods.") var leadTime = 0
    @Flag(help: "Print one JSON object.") var json = false

    struct Output: Encodable { let s: Int, S: Int, cost: Double }

    func run() throws {
        try runPolicy {
            let r = try SSPolicy.optimize(
                holding: holding, stockout: stockout, fixedCost: fixedCost, demand: try demand.distribution(allowNormal: false), leadTime: leadTime)
            if json {
                printJSON(Output(s: r.s, S: r.S, cost: r.cost))
            } else {
                print("(s, S): s = \(r.s), S = \(r.S), expected cost per period \(formatted(r.cost))")
            }
        }
    }
}

struct WagnerWhitinKind: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wagner-whitin", abstract: "Exact dynamic lot sizing for known demands.")
    @Option(help: "Holding cost h per unit left at the end of a period.") var holding: Double
    @Option(help: "Fixed cost K per order.") var fixedCost: Double
    @Option(help: "Demand per period, d1,d2,….") var demand: String
    @Flag(help: "Print one JSON object.") var json = false

    struct Output: Encodable { let order_quantities: [Double], cost: Double, holding_cost: Double, order_count: Int }

    func run() throws {
        try runPolicy {
            let demands = try parseNumberList(demand, option: "--demand")
            let r = try WagnerWhitin.solve(demand: demands, holding: holding, fixedCost: fixedCost)
            if json {
                printJSON(Output(order_quantities: r.orderQuantities, cost: r.cost, holding_cost: r.holdingCost, order_count: r.orderCount))
            } else {
                print("Wagner–Whitin: \(r.orderCount) orders, total cost \(formatted(r.cost)) (holding \(formatted(r.holdingCost)))")
                for (t, q) in r.orderQuantities.enumerated() where q > 0 { print("  period \(t + 1): order \(formatted(q))") }
            }
        }
    }
}

struct SafetyStockKind: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "safety-stock",
        abstract: "Reorder point and safety stock for a cycle-service or fill-rate target.",
        discussion:
            "The distribution given is demand per period; with --lead-time L the reorder point covers L + 1 periods (without it, the distribution is the lead-time demand itself). --pmf p0,p1,… gives probabilities of 0, 1, 2, … units; --sample v1,v2,… equally likely values (e.g. forecast quantiles). A fill-rate target needs --order-quantity. With --review-period R the answer is instead the order-up-to level of a periodic (R, S) policy covering L + R periods (fill rate per review cycle; no --order-quantity)."
    )
    @Option(help: "cycle (P(no stockout in a cycle)) or fill (fraction of demand met from stock).") var service: String
    @Option(help: "The target, strictly between 0 and 1.") var target: Double
    @OptionGroup var demand: DemandOptions
    @Option(help: "Demand pmf over 0, 1, 2, … units.") var pmf: String?
    @Option(help: "Equally likely demand values.") var sample: String?
    @Option(help: "Lead time L in periods (covers L + 1 periods).") var leadTime: Int?
    @Option(help: "Order quantity Q (fill-rate targets).") var orderQuantity: Double?
    @Option(help: "Review period R: the order-up-to level of a periodic (R, S) policy.") var reviewPeriod: Int?
    @Flag(help: "Print one JSON object.") var json = false

    struct Output: Encodable {
        let reorder_point: Double?, order_up_to_level: Double?
        let safety_stock: Double, cycle_service: Double, fill_rate: Double?, expected_shortage: Double
        let lead_time_demand_mean: Double, lead_time_demand_sd: Double
    }

    func perPeriodDistribution() throws -> DemandDistribution {
        let given = [demand.mean != nil || demand.sd != nil || demand.poisson != nil, pmf != nil, sample != nil].filter { $0 }.count
        guard given == 1 else { throw CLIError.badInput("give exactly one demand: --mean and --sd, --poisson, --pmf or --sample") }
        if let pmf { return try DemandDistribution.pmf(try parseNumberList(pmf, option: "--pmf")) }
        if let sample { return try DemandDistribution.empirical(values: try parseNumberList(sample, option: "--sample")) }
        return try demand.distribution()
    }

    /// `--review-period R`: the (R, S) order-up-to level.
    func runOrderUpTo(review: Int) throws {
        if orderQuantity != nil { throw CLIError.badInput("--order-quantity does not apply with --review-period") }
        let target: ServiceTarget
        switch service {
        case "cycle": target = .cycle(self.target)
        case "fill": target = .fill(self.target, orderQuantity: 1)
        default: throw CLIError.badInput("--service must be cycle or fill, got '\(service)'")
        }
        let lead = leadTime ?? 0
        let perPeriod = try perPeriodDistribution()
        let r = try SafetyStock.orderUpTo(demand: perPeriod, leadTime: lead, reviewPeriod: review, service: target)
        let protection = try perPeriod.overPeriods(max(1, lead + review))
        if json {
            printJSON(
                Output(
                    reorder_point: nil, order_up_to_level: r.orderUpToLevel, safety_stock: r.safetyStock, cycle_service: r.cycleService,
                    fill_rate: r.fillRate, expected_shortage: r.expectedShortagePerCycle, lead_time_demand_mean: protection.mean,
                    lead_time_demand_sd: protection.standardDeviation))
        } else {
            print(
                "safety stock \(formatted(r.safetyStock)): order-up-to level \(formatted(r.orderUpToLevel)) over \(lead + review) periods of demand (mean \(formatted(protection.mean))); cycle service \(formatted(r.cycleService)), fill rate \(formatted(r.fillRate)), expected shortage per review \(formatted(r.expectedShortagePerCycle))"
            )
        }
    }

    func distribution() throws -> DemandDistribution {
        let perPeriod = try perPeriodDistribution()
        guard let leadTime else { return perPeriod }
        guard leadTime >= 0 else { throw CLIError.badInput("--lead-time must be 0 or more periods, got \(leadTime)") }
        return try perPeriod.overPeriods(leadTime + 1)
    }

    func run() throws {
        try runPolicy {
            if let reviewPeriod {
                try runOrderUpTo(review: reviewPeriod)
                return
            }
            let target: ServiceTarget
            switch service {
            case "cycle":
                if orderQuantity != nil { throw CLIError.badInput("--order-quantity applies to --service fill only") }
                target = .cycle(self.target)
            case "fill":
                guard let q = orderQuantity else { throw CLIError.badInput("--service fill needs --order-quantity Q") }
                target = .fill(self.target, orderQuantity: q)
            default: throw CLIError.badInput("--service must be cycle or fill, got '\(service)'")
            }
            let d = try distribution()
            let r = try SafetyStock.plan(distribution: d, service: target)
            if json {
                printJSON(
                    Output(
                        reorder_point: r.reorderPoint, order_up_to_level: nil, safety_stock: r.safetyStock, cycle_service: r.cycleService,
                        fill_rate: r.fillRate,
                        expected_shortage: r.expectedShortage, lead_time_demand_mean: d.mean, lead_time_demand_sd: d.standardDeviation))
            } else {
                var line =
                    "safety stock \(formatted(r.safetyStock)): reorder point \(formatted(r.reorderPoint)) over lead-time demand of mean \(formatted(d.mean)); cycle service \(formatted(r.cycleService))"
                if let f = r.fillRate { line += ", fill rate \(formatted(f))" }
                print(line + ", expected shortage \(formatted(r.expectedShortage))")
            }
        }
    }
}

/// Numbers separated by commas; a bad entry is named by its position.
func parseNumberList(_ text: String, option: String) throws -> [Double] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    if parts.count == 1 && parts[0].isEmpty { throw CLIError.badInput("\(option) is empty") }
    return try parts.enumerated().map { i, p in
        guard let v = Double(p), v.isFinite else { throw CLIError.badInput("\(option): entry \(i + 1) '\(p)' is not a number") }
        return v
    }
}
