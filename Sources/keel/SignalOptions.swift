import ArgumentParser
import KeelSourcing

/// The sourcing signals' switches, shared by `keel route` and `keel serve`; every signal is off
/// unless its flag is given, and then runs with `SignalConfiguration`'s defaults.
struct SignalOptions: ParsableArguments {
    @Flag(help: "Signal: charge units taken from a store their expected lost walk-in margin (7 days of forecast need). Default off.")
    var storeProtection = false
    @Flag(
        help:
            "Signal: credit units that will not sell at their node before markdown (price-list markdowns within 56 days, else 30% after 28 days). Default off."
    )
    var markdownCredit = false
    @Flag(help: "Signal: add the expected return cost by category and channel (6.00 shipping + 1.50 handling per return). Default off.")
    var returnCost = false
    @Flag(help: "Signal: LP dual prices of node stock under 7 days of expected online demand (Acimovic & Graves). Default off.")
    var opportunityCost = false

    var configuration: SignalConfiguration {
        SignalConfiguration(
            storeProtection: storeProtection ? .init() : nil, markdown: markdownCredit ? .init() : nil, returns: returnCost ? .init() : nil,
            opportunity: opportunityCost ? .init() : nil)
    }
}
