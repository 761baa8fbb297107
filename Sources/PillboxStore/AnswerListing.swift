import Foundation

/// A patient's dispenses as answer bytes, in the order and with the flags of `DispenseListing`.
package struct AnswerListing: Sendable, Equatable {
    /// Newest dispense time first; an unreadable row stays in its place as a flag.
    package var entries: [ListedAnswer]
    /// Each entry's clear dispense time (`dispensed_at`), in the same order as `entries`.
    package var dispensedAt: [Date]

    package init(entries: [ListedAnswer], dispensedAt: [Date]) {
        self.entries = entries
        self.dispensedAt = dispensedAt
    }

    /// The readable entries' `pharmacyDispenseId`s.
    package var pharmacyDispenseIds: Set<String> {
        Set(entries.compactMap { if case .record(let record) = $0 { record.pharmacyDispenseId } else { nil } })
    }
}
