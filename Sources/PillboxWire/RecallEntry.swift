import PillboxModel

/// A recall entry: a record, or the flag of one that could not be read.
package enum RecallEntry: Sendable, Equatable, Codable {
    case record(DispenseRecord)
    case unreadable(UnreadableEntry)

    package init(from decoder: any Decoder) throws {
        self = try UnreadableEntry.isUnreadable(decoder)
            ? .unreadable(try UnreadableEntry(from: decoder)) : .record(try DispenseRecord(from: decoder))
    }

    package func encode(to encoder: any Encoder) throws {
        switch self {
        case .record(let record): try record.encode(to: encoder)
        case .unreadable(let entry): try entry.encode(to: encoder)
        }
    }
}
