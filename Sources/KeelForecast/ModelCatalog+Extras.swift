extension ModelCatalog {
    /// Models that live in their own files and take configuration.
    static func builtinExtras() -> [String: @Sendable ([Int]) -> any Forecaster] {
        ["AutoETS": { _ in AutoETS() }]
    }
}
