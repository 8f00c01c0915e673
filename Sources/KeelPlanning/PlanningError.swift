/// Why planning could not run: bad settings or inputs the plan cannot be built from.
public enum PlanningError: Error, CustomStringConvertible, Equatable {
    case invalidConfiguration(String)
    case invalidInput(String)

    public var message: String {
        switch self {
        case .invalidConfiguration(let m), .invalidInput(let m): return m
        }
    }
    public var description: String { message }
}
