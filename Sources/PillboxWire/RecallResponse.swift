import PillboxModel

/// `GET /v1/dispenses?din=…`: the dispenses of a product (a lot, a period), one page.
public struct RecallResponse: Sendable, Equatable, Codable {
    public var dispenses: [RecallEntry]
    /// How many of `dispenses` are unreadable entries (`problem: unreadable`).
    public var unreadableEntries: Int
    /// Pass as `cursor` for the next page; absent on the last one.
    public var nextCursor: String?

    public init(dispenses: [RecallEntry], unreadableEntries: Int, nextCursor: String?) {
        self.dispenses = dispenses
        self.unreadableEntries = unreadableEntries
        self.nextCursor = nextCursor
    }
}

/// A recall entry: a record, or the flag of one that could not be read.
public enum RecallEntry: Sendable, Equatable, Codable {
    case record(DispenseRecord)
    case unreadable(UnreadableEntry)

    public init(from decoder: any Decoder) throws {
        self = try UnreadableEntry.isUnreadable(decoder)
            ? .unreadable(try UnreadableEntry(from: decoder)) : .record(try DispenseRecord(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .record(let record): try record.encode(to: encoder)
        case .unreadable(let entry): try entry.encode(to: encoder)
        }
    }
}
