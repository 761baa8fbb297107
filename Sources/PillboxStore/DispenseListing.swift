import Foundation
import PillboxModel

/// A patient's dispenses as a profile lists them: every entry in order, readable or flagged.
package struct DispenseListing: Sendable, Equatable {
    /// Newest dispense time first; an unreadable row stays in its place as a flag.
    package var entries: [ListedDispense]
    /// Each entry's dispense time as the store keeps it in the clear (the `dispensed_at`
    /// column, the listing's sort key), in the same order as `entries`; empty when not known.
    /// A profile sorts by it instead of parsing every record's `whenHandedOver` again.
    package var dispensedAt: [Date]

    package init(entries: [ListedDispense], dispensedAt: [Date] = []) {
        self.entries = entries
        self.dispensedAt = dispensedAt.count == entries.count ? dispensedAt : []
    }

    /// The entries that could be read, in order.
    package var records: [DispenseRecord] { entries.compactMap(\.record) }
    /// The entries that failed their integrity check, in order.
    package var unreadable: [UnreadableDispense] { entries.compactMap(\.unreadable) }
}
