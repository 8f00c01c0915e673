// swift-tools-version:6.1
import PackageDescription

// Keel — one operational truth for an omnichannel retailer.
// Dependencies point inward: KeelCore depends on nothing; the store on GRDB; numerics on the
// BLAS/LAPACK shims; optimisation on COIN-OR; the engine composes them; `keel` is a thin adapter.
let package = Package(
    name: "Keel",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "keel", targets: ["keel"]),
        .library(name: "KeelEngine", targets: ["KeelEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // C system libraries: module maps with `header "shim.h"`, `link`, `export *`.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke", providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CCoin", pkgConfig: "cbc", providers: [.apt(["coinor-libcbc-dev"])]),

        // Domain values: days, timestamps, enumerations, CSV reading and writing. No dependencies.
        .target(name: "KeelCore", exclude: ["README.md"]),
        // Matrices over BLAS/LAPACK.
        .target(name: "KeelNumerics", dependencies: ["KeelCore", "CBLAS", "CLAPACKE"], exclude: ["README.md"]),
        // Linear and mixed-integer programs over COIN-OR Clp/Cbc.
        .target(name: "KeelOptimization", dependencies: ["KeelCore", "CCoin"], exclude: ["README.md"]),
        // Forecasting models behind one contract, automatic selection, quantiles, reconciliation.
        .target(name: "KeelForecast", dependencies: ["KeelCore", "KeelNumerics"]),
        // The operational core: schema, migrations, importers, demand history, write-back, exports.
        .target(name: "KeelStore", dependencies: [
            "KeelCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ], exclude: ["README.md"]),
        // Synthetic retailer generator (contract CSVs + injected anomalies).
        .target(name: "KeelDatasets", dependencies: ["KeelCore"]),
        // Replenishment, transfers and the inventory simulator, over the policy maths.
        .target(name: "KeelPlanning", dependencies: ["KeelCore", "KeelStore", "KeelForecast", "KeelOptimization", "KeelPolicy"]),
        // The pipeline: demo, runs, summaries.
        .target(name: "KeelEngine", dependencies: ["KeelCore", "KeelStore", "KeelForecast", "KeelPlanning", "KeelSourcing", "KeelAnomaly"],
                exclude: ["README.md"]),
        // Single-item inventory policy mathematics (no dependencies): EOQ, newsvendor, (r,Q), (s,S), Wagner–Whitin, safety stock.
        .target(name: "KeelPolicy", exclude: ["README.md"]),
        // Reports: SVG charts, self-contained HTML and Jupyter notebooks of what the database holds.
        .target(name: "KeelReport", dependencies: ["KeelCore", "KeelStore", "KeelForecast", "KeelKPI"], exclude: ["README.md"]),
        // Anomaly detectors, the exception queue and the finance summary.
        .target(name: "KeelAnomaly", dependencies: ["KeelCore", "KeelStore", .product(name: "GRDB", package: "GRDB.swift")]),
        // Order sourcing: cost model, single-order optimum, batch routing, reservations.
        .target(name: "KeelSourcing", dependencies: ["KeelCore", "KeelStore", "KeelOptimization"]),
        // The retailer's KPIs computed from the database in one read transaction.
        .target(name: "KeelKPI", dependencies: ["KeelCore", "KeelStore"]),
        // The order-router HTTP API: Hummingbird router, API-key auth, thin handlers over the engine.
        .target(name: "KeelServer", dependencies: [
            "KeelCore", "KeelStore", "KeelSourcing", "KeelAnomaly",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The executable: a thin ArgumentParser adapter over the engine.
        .executableTarget(name: "keel", dependencies: [
            "KeelEngine", "KeelStore", "KeelCore", "KeelDatasets", "KeelForecast", "KeelPlanning",
            "KeelPolicy", "KeelReport", "KeelAnomaly", "KeelSourcing", "KeelKPI", "KeelServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Release-build benchmarks (`make bench`).
        .executableTarget(name: "keel-bench", dependencies: [
            "KeelCore", "KeelStore", "KeelPlanning", .product(name: "GRDB", package: "GRDB.swift"),
            "KeelAnomaly", "KeelDatasets",
        ], path: "Benchmarks/KeelBench"),
        // `make bench-route`: batch sourcing vs the Cbc optimum and vs a myopic greedy.
        .executableTarget(name: "keel-route-bench", dependencies: ["KeelCore", "KeelSourcing", "KeelOptimization"],
                          path: "Benchmarks/RouteBench"),
        .target(name: "KeelTestSupport", dependencies: ["KeelCore", "KeelStore", "KeelForecast", "KeelNumerics"]),

        .testTarget(name: "KeelCoreTests", dependencies: ["KeelCore", "KeelTestSupport"]),
        .testTarget(name: "KeelStoreTests", dependencies: ["KeelStore", "KeelCore", "KeelTestSupport"]),
        .testTarget(name: "KeelDatasetsTests", dependencies: ["KeelDatasets", "KeelCore", "KeelTestSupport"]),
        .testTarget(name: "KeelEndToEndTests", dependencies: ["KeelCore", "KeelStore", "KeelTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "KeelForecastTests", dependencies: ["KeelForecast", "KeelCore", "KeelNumerics", "KeelTestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "KeelPlanningTests", dependencies: ["KeelPlanning", "KeelPolicy", "KeelEngine", "KeelStore", "KeelCore", "KeelTestSupport",
                                                            .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "KeelAnomalyTests", dependencies: ["KeelAnomaly", "KeelStore", "KeelCore", "KeelDatasets", "KeelTestSupport",
                                                            .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "KeelNumericsTests", dependencies: ["KeelNumerics", "KeelTestSupport"]),
        .testTarget(name: "KeelSourcingTests", dependencies: ["KeelSourcing", "KeelStore", "KeelCore", "KeelTestSupport"]),
        .testTarget(name: "KeelOptimizationTests", dependencies: ["KeelOptimization", "KeelTestSupport"]),
        .testTarget(name: "KeelPolicyTests", dependencies: ["KeelPolicy", "KeelCore", "KeelTestSupport"]),
        .testTarget(name: "KeelServerTests", dependencies: ["KeelServer", "KeelStore", "KeelCore", "KeelSourcing", "KeelTestSupport",
                                                          .product(name: "HummingbirdTesting", package: "hummingbird"),
                                                          .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "KeelReportTests", dependencies: ["KeelReport", "KeelStore", "KeelCore", "KeelTestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "KeelKPITests", dependencies: ["KeelKPI", "KeelStore", "KeelCore", "KeelTestSupport",
                                                       .product(name: "GRDB", package: "GRDB.swift")]),
    ],
    swiftLanguageModes: [.v6]
)
