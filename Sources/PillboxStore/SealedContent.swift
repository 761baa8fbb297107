import PillboxModel

/// What is sealed in a version's payload: everything that may identify someone.
struct SealedContent: Codable, Sendable {
    var dispense: Dispense
    var reason: String?
}
