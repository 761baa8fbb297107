import Foundation

/// Names and file-system steps of backup folders in a destination: a backup is built in a
/// hidden `.pillbox-backup-<time>.partial` folder and renamed to `pillbox-backup-<time>` only
/// once it is complete, synced and verified, so a failed or interrupted backup never looks
/// like a good one.
package enum BackupFolder {
    /// Prefix of a complete backup folder's name.
    package static let prefix = "pillbox-backup-"
    static let partialPrefix = ".pillbox-backup-"
    static let partialSuffix = ".partial"
    static let lockName = ".pillbox-backup.lock"

    /// `pillbox-backup-20261130T163000.123Z` for `date` (UTC; names sort by time).
    package static func name(for date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        let millis = (c.nanosecond ?? 0) / 1_000_000
        return prefix + String(format: "%04d%02d%02dT%02d%02d%02d.%03dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!,
                               c.second!, millis)
    }

    /// The complete backups in `destination` (folders named `pillbox-backup-*` holding a
    /// manifest), oldest first.
    package static func completeBackups(in destination: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: destination)) ?? []
        return names.filter { $0.hasPrefix(prefix) }.sorted().map { (destination as NSString).appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent(BackupManifest.fileName)) }
    }

    /// Removes what an interrupted run left in `destination`: the entries named
    /// `prefix…suffix` (partial backup folders, partial archive files).
    static func removeLeftovers(in destination: String, prefix: String, suffix: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: destination)) ?? []
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(suffix) {
            try? FileManager.default.removeItem(atPath: (destination as NSString).appendingPathComponent(name))
        }
    }

    /// fsync on a file or folder; throws `.io` naming `path`.
    static func sync(_ path: String) throws(BackupError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BackupError(.io, "cannot open \(path) to sync it (errno \(errno))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw BackupError(.io, "fsync of \(path) failed (errno \(errno))") }
    }

    /// Writes `data` to `path` through a temporary file in the same folder, synced, then renamed.
    static func writeAtomically(_ data: Data, to path: String) throws(BackupError) {
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw BackupError(.io, "cannot write \(temporary) (errno \(errno))")
        }
        try sync(temporary)
        guard rename(temporary, path) == 0 else { throw BackupError(.io, "cannot rename \(temporary) (errno \(errno))") }
        try sync((path as NSString).deletingLastPathComponent)
    }

    /// An exclusive, non-blocking `flock` on `path` (created when `create`); nil when another
    /// process holds it. The descriptor is the lock: close it to release.
    static func lock(_ path: String, create: Bool) throws(BackupError) -> Int32? {
        let fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT : 0), 0o600)
        guard fd >= 0 else {
            if !create && errno == ENOENT { return -1 }
            throw BackupError(.io, "cannot open \(path) (errno \(errno))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }
}
