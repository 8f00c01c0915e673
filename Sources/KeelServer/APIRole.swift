/// Who a key belongs to. The role matrix (`KeelAPI`): `router` → sourcing options, reserve,
/// reject, cancel and inventory; `planner` → plans and inventory; `finance` → anomalies (read
/// and change status); `admin` → everything.
public enum APIRole: String, CaseIterable, Sendable, Codable {
    case router, planner, finance, admin
}

/// What an endpoint needs; `admin` may do everything.
enum APIPermission: Sendable {
    case sourcing, inventory, plans, anomalies

    func allows(_ role: APIRole) -> Bool {
        switch (self, role) {
        case (_, .admin): return true
        case (.sourcing, .router), (.inventory, .router), (.inventory, .planner), (.plans, .planner), (.anomalies, .finance): return true
        default: return false
        }
    }
}
