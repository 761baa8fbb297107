import Foundation
import PillboxModel
import PillboxStore

/// The backup lines of `/v1/status`: the last backup, and whether it is overdue.
enum BackupAge {
    /// The last backup recorded in the data folder, and `overdue`: the last backup (or,
    /// before the first, the data folder's creation) is older than `maxAgeHours`; nil when
    /// the rule is off (0).
    static func status(store: Store, settings: BackupSettings, now: Date) async throws -> (last: LastBackup?, overdue: Bool?) {
        let last = store.lastBackup()
        guard settings.maxAgeHours > 0 else { return (last, nil) }
        let since: Date?
        if let last { since = last.date } else { since = try await store.createdAt() }
        guard let since else { return (last, false) }
        return (last, now.timeIntervalSince(since) > Double(settings.maxAgeHours) * 3600)
    }
}
