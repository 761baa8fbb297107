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
