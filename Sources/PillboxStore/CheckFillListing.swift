/// A patient's fills as the dispensing checks read them (`Store.checkFills(nam:since:limit:)`).
package struct CheckFillListing: Sendable, Equatable {
    /// The readable fills, newest first.
    package var fills: [CheckFillFacts]
    /// Rows that failed their integrity check (a profile flags the same rows).
    package var unreadable: Int

    /// A listing with the given content.
    package init(fills: [CheckFillFacts], unreadable: Int) {
        self.fills = fills
        self.unreadable = unreadable
    }
}
