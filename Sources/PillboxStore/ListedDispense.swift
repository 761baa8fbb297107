import PillboxModel

/// One entry of a listing (a profile, a recall page), in its place: the current version of a
/// dispense, or a flag for one whose stored row failed its integrity check.
package enum ListedDispense: Sendable, Equatable {
    case record(DispenseRecord)
    case unreadable(UnreadableDispense)

    /// The record, when this entry could be read.
    package var record: DispenseRecord? {
        if case .record(let record) = self { return record }
        return nil
    }

    /// The flag, when this entry could not be read.
    package var unreadable: UnreadableDispense? {
        if case .unreadable(let entry) = self { return entry }
        return nil
    }
}
