import PillboxModel

/// A profile entry with where it came from, as one flat object with `source`.
package enum ProfileEntry: Sendable, Equatable, Codable {
    /// A dispense recorded here (`source: local`).
    case local(DispenseRecord)
    /// A dispense from the central record (`source: central`).
    case central(CentralDispense)
    /// A local dispense that could not be read (`problem: unreadable`, `source: local`).
    case unreadable(UnreadableEntry)

    package init(from decoder: any Decoder) throws {
        if try UnreadableEntry.isUnreadable(decoder) {
            self = .unreadable(try UnreadableEntry(from: decoder))
            return
        }
        let kind = try decoder.container(keyedBy: EntryKind.self)
        switch try kind.decode(String.self, forKey: .source) {
        case "local":
            self = .local(try DispenseRecord(from: decoder))
        case "central":
            self = .central(try CentralDispense(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(forKey: .source, in: kind, debugDescription: "must be local or central")
        }
    }

    package func encode(to encoder: any Encoder) throws {
        switch self {
        case .local(let record):
            try record.encode(to: encoder)
            var container = encoder.container(keyedBy: EntryKind.self)
            try container.encode("local", forKey: .source)
        case .central(let dispense):
            try dispense.encode(to: encoder)
            var container = encoder.container(keyedBy: EntryKind.self)
            try container.encode("central", forKey: .source)
        case .unreadable(let entry):
            try entry.encode(to: encoder)
        }
    }
}
