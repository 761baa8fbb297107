/// How a profile or a recall shows a dispense whose stored row failed its integrity check: in
/// its place in the list, with its record id and `problem: unreadable`, so that the dispensing
/// software can tell the pharmacist that this one entry could not be read and the rest is
/// shown. Nothing of its content (which could not be authenticated) is shown.
package struct UnreadableEntry: Sendable, Equatable, Codable {
    /// Pillbox's id of the dispense (the daemon log names the same id).
    package var id: String
    /// The version the stored dispense points at.
    package var version: Int
    /// Always `unreadable`.
    package var problem = "unreadable"
    package var detail = "this entry could not be read: its stored record failed the integrity check; the rest of the list is shown; "
        + "call a technician (the daemon log names this id)"
    /// `local` in a profile (where entries say where they come from); absent in a recall.
    package var source: String?

    package init(id: String, version: Int, source: String?) {
        self.id = id
        self.version = version
        self.source = source
    }

    /// The `problem` value that marks an unreadable entry in a list.
    static let marker = "unreadable"

    /// True when the object `decoder` reads is an unreadable entry (`problem: unreadable`).
    static func isUnreadable(_ decoder: any Decoder) throws -> Bool {
        let container = try decoder.container(keyedBy: EntryKind.self)
        return try container.decodeIfPresent(String.self, forKey: .problem) == marker
    }
}
