import PillboxStore

/// How a profile or a recall shows a dispense whose stored row failed its integrity check: in
/// its place in the list, with its record id and `problem: unreadable`, so that the dispensing
/// software can tell the pharmacist that this one entry could not be read and the rest is
/// shown. Nothing of its content (which could not be authenticated) is shown.
struct UnreadableEntry: Encodable {
    /// Pillbox's id of the dispense (the daemon log names the same id).
    var id: String
    /// The version the stored dispense points at.
    var version: Int
    /// Always `unreadable`.
    var problem = "unreadable"
    var detail = "this entry could not be read: its stored record failed the integrity check; the rest of the list is shown; "
        + "call a technician (the daemon log names this id)"
    /// `local` in a profile (where entries say where they come from); absent in a recall.
    var source: String?

    init(_ flag: UnreadableDispense, source: String?) {
        id = flag.id
        version = flag.version
        self.source = source
    }
}
