/// What a caller may do. Each role includes the ones before it.
package enum Role: String, Sendable, Codable, Comparable, CaseIterable {
    /// Read dispenses, profiles and recalls.
    case read
    /// Also record, correct and cancel dispenses.
    case dispense
    /// Everything, including status, audit and metrics.
    case admin

    private var rank: Int {
        switch self {
        case .read: 0
        case .dispense: 1
        case .admin: 2
        }
    }

    package static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
