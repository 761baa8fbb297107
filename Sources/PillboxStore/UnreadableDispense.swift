import Foundation

/// A listed dispense whose current version could not be read: it failed its integrity check
/// (a payload altered, moved or sealed under an unknown key, a status the daemon does not know,
/// or `current_version` pointed at a version that is not the newest or does not exist).
///
/// It carries only clear, non-identifying columns, so that a listing can flag the entry in its
/// place instead of failing whole; the daemon log names the same id with the reason.
package struct UnreadableDispense: Sendable, Equatable {
    /// Pillbox's id for the dispense.
    package var id: String
    /// The version the dispense row points at.
    package var version: Int
    /// The clear `dispensed_at` column, used only to place the entry in its listing.
    package var dispensedAt: Date

    package init(id: String, version: Int, dispensedAt: Date) {
        self.id = id
        self.version = version
        self.dispensedAt = dispensedAt
    }
}
