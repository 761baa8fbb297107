/// One entry of a listing answered as bytes: the record's answer object, or the flag of a row
/// that failed its integrity check (exactly where `ListedDispense` flags it).
package enum ListedAnswer: Sendable, Equatable {
    case record(RecordJSON)
    case unreadable(UnreadableDispense)
}
