import GRDB
import PillboxModel

/// An outbox entry's state is stored as its raw value (`outbox.state`): bound and read as a
/// `SyncState`, never spelled as a string in SQL.
extension SyncState: DatabaseValueConvertible {}
