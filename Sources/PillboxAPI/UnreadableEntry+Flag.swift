import PillboxStore
import PillboxWire

extension UnreadableEntry {
    /// The entry that stands in a list for a dispense the store could not read.
    init(_ flag: UnreadableDispense, source: String?) {
        self.init(id: flag.id, version: flag.version, source: source)
    }
}
