// Speed of the KeelPolicy calls the planner makes per (location, sku), compiled with
// `swiftc -O` together with Sources/KeelPolicy (see Benchmarks/policy/run.sh; `make bench-policy`).
import Foundation

func measure(_ label: String, _ body: () throws -> Double) rethrows {
    let start = Date()
    let check = try body()
    print(String(format: "%@: %.3f s (checksum %.4f)", label, Date().timeIntervalSince(start), check))
}

try measure("safety stock, 30,490 normal lead-time demands, cycle + fill targets") {
    var total = 0.0
    for i in 0..<30_490 {
        let d = try DemandDistribution.normal(mean: 5 + Double(i % 97), standardDeviation: 2 + Double(i % 13))
        total += try SafetyStock.plan(distribution: d, service: .fill(0.97, orderQuantity: 20)).reorderPoint
        total += try SafetyStock.plan(distribution: d, service: .cycle(0.95)).reorderPoint
    }
    return total
}
try measure("safety stock, 30,490 Poisson lead-time demands (mean 1–97), cycle + fill targets") {
    var total = 0.0
    for i in 0..<30_490 {
        let d = try DemandDistribution.poisson(mean: 1 + Double(i % 97))
        total += try SafetyStock.plan(distribution: d, service: .fill(0.97, orderQuantity: 20)).reorderPoint
        total += try SafetyStock.plan(distribution: d, service: .cycle(0.95)).reorderPoint
    }
    return total
}
try measure("(R, S) levels, 30,490 negative binomials (mean 1–97 per period, variance 3×), L 5, R 3, fill 0.98") {
    var total = 0.0
    for i in 0..<30_490 {
        let m = 1 + Double(i % 97)
        let d = try DemandDistribution.negativeBinomial(mean: m, variance: 3 * m)
        total += try SafetyStock.orderUpTo(demand: d, leadTime: 5, reviewPeriod: 3, service: .fill(0.98, orderQuantity: 1)).orderUpToLevel
    }
    return total
}
for mu in [10.0, 100.0, 1000.0] {
    try measure("(s, S) Poisson \(Int(mu)), h 1, p 9, K 64") {
        try SSPolicy.optimize(holding: 1, stockout: 9, fixedCost: 64, demand: .poisson(mean: mu)).cost
    }
    try measure("(r, Q) periodic, Poisson \(Int(mu)), L 2") {
        try RQPolicy.optimize(holding: 1, stockout: 9, fixedCost: 64, demand: .poisson(mean: mu), leadTime: 2).cost
    }
    try measure("(r, Q) periodic, normal \(Int(mu)), L 2") {
        try RQPolicy.optimize(
            holding: 1, stockout: 9, fixedCost: 64, demand: .normal(mean: mu, standardDeviation: mu.squareRoot()), leadTime: 2
        ).cost
    }
}
try measure("Wagner–Whitin, 5,000 periods") {
    try WagnerWhitin.solve(demand: (0..<5_000).map { Double(($0 * 7919) % 100) }, holding: 1, fixedCost: 500).cost
}
