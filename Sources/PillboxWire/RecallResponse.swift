import PillboxModel

/// `GET /v1/dispenses?din=…`: the dispenses of a product (a lot, a period), one page.
package struct RecallResponse: Sendable, Equatable, Codable {
    package var dispenses: [RecallEntry]
    /// How many of `dispenses` are unreadable entries (`problem: unreadable`).
    package var unreadableEntries: Int
    /// Pass as `cursor` for the next page; absent on the last one.
    package var nextCursor: String?

    package init(dispenses: [RecallEntry], unreadableEntries: Int, nextCursor: String?) {
        self.dispenses = dispenses
        self.unreadableEntries = unreadableEntries
        self.nextCursor = nextCursor
    }
}
