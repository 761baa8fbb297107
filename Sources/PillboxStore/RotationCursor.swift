import Foundation
import GRDB

/// Where a rotation's pass stands: which table of payloads it is re-encrypting
/// (`RotatedTable.all`) and the last row it looked at. Kept in memory only: after a restart a
/// pass starts again from the first row, and finds only the payloads still under a retired
/// key (the others were re-encrypted by committed batches), so nothing is done twice and
/// nothing is missed.
package struct RotationCursor: Sendable, Equatable {
    /// The table being walked, an index in `RotatedTable.all`; past its end once the pass is over.
    var table = 0
    /// The primary key of the last row looked at in that table; nil before its first row.
    var after: [DatabaseValue]?
    /// Payloads re-encrypted during this pass; a pass that re-encrypted none and still finds
    /// payloads under a retired key has found payloads that do not open (`unreadable`).
    var rewrittenThisPass = 0

    /// Whether the pass has walked every table.
    var isDone: Bool { table >= RotatedTable.all.count }

    package init() {}
}
