import PillboxModel

/// A patient's dispenses as a profile lists them: every entry in order, readable or flagged.
package struct DispenseListing: Sendable, Equatable {
    /// Newest dispense time first; an unreadable row stays in its place as a flag.
    package var entries: [ListedDispense]

    package init(entries: [ListedDispense]) {
        self.entries = entries
    }

    /// The entries that could be read, in order.
    package var records: [DispenseRecord] { entries.compactMap(\.record) }
    /// The entries that failed their integrity check, in order.
    package var unreadable: [UnreadableDispense] { entries.compactMap(\.unreadable) }
}
