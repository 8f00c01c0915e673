import ArgumentParser

struct Datasets: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Datasets: the synthetic retailer generator.", subcommands: [])
}
