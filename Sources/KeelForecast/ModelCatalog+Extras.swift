extension ModelCatalog {
    /// Models that live in their own files and take configuration (filled in as they land).
    static func builtinExtras() -> [String: @Sendable ([Int]) -> any Forecaster] {
        [:]
    }
}
