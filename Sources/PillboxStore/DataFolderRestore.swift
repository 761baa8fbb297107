import CPillboxSys
import Foundation
import GRDB
import PillboxCrypto

/// What a restore did.
package struct RestoreOutcome: Sendable, Equatable {
    package var manifest: BackupManifest
    /// The restored data folder.
    package var dataFolder: String
    /// Where the data folder that was replaced now is (never deleted); nil when there was none.
    package var keptAside: String?
    /// Versions waiting for upload in the restored store (they go out when the daemon starts).
    package var pendingUploads: Int
}

/// Puts a backup in place of a data folder, with the daemon stopped (docs/operations.md).
///
/// 1. Refuses while a daemon holds the data folder's `pillbox.lock`.
/// 2. Verifies the backup with the master key (`BackupVerifier`), then `deepCheck` on the
///    copy's database when given (the seam for the full `Store.verify`).
/// 3. Copies the database into a hidden staging folder beside the data folder, checks the
///    copy's SHA-256 again, makes every `pending` version due now (`sent` stays `sent`,
///    `failed` stays `failed`: PUT ids are deterministic, so resending a version the old box
///    had sent after the backup lands on the same resource), gives it the data folder's
///    owner, syncs it.
/// 4. Swaps the staging folder and the data folder in one atomic `renameat2(RENAME_EXCHANGE)`,
///    so that the data folder's name always holds a whole folder, the old or the restored one,
///    whenever the power goes; then renames the old folder (now under the staging name) to
///    `<folder>.replaced-<time>` (kept, never deleted) and syncs the parent folder. On a
///    filesystem that cannot exchange (EINVAL), two renames instead: the data folder aside,
///    then the staging folder in its place (the first undone if the second fails); a crash
///    between them leaves no data folder, only the two named ones.
/// Until step 4 nothing outside the staging folder changes, and a failure removes it.
package enum DataFolderRestore {
    package static func restore(backup: String, into dataFolder: String, masterKey: SecretKey, now: Date = Date(),
                                deepCheck: ((String) throws -> Void)? = nil,
                                exchange: (String, String) -> Int32 = renameExchange,
                                copy: (String, String) throws -> Void = { try FileManager.default.copyItem(atPath: $0, toPath: $1) },
                                freeBytes: (String) -> UInt64? = DataFolderRestore.freeBytes) throws(BackupError) -> RestoreOutcome {
        let folder = (dataFolder as NSString).standardizingPath
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        let exists = fm.fileExists(atPath: folder, isDirectory: &isFolder)
        if exists && !isFolder.boolValue { throw BackupError(.destination, "\(folder) exists and is not a folder") }
        var oldLock: Int32 = -1
        if exists {
            guard let fd = try BackupFolder.lock((folder as NSString).appendingPathComponent("pillbox.lock"), create: false) else {
                throw BackupError(.daemonRunning, "a pillboxd is using \(folder) (it holds pillbox.lock): stop it first "
                    + "(systemctl stop pillboxd); nothing was changed")
            }
            oldLock = fd
        }
        defer { if oldLock >= 0 { close(oldLock) } }

        let manifest = try BackupVerifier.verify(folder: backup, masterKey: masterKey)
        let source = (backup as NSString).appendingPathComponent(BackupManifest.databaseName)
        if let deepCheck {
            do { try deepCheck(source) } catch {
                throw BackupError(.invalid, "\(backup) fails the full check: \(error); nothing was changed")
            }
        }

        let parent = (folder as NSString).deletingLastPathComponent
        let base = (folder as NSString).lastPathComponent
        // The copy goes beside the data folder, which stays whole until the swap: refuse now,
        // with the sizes, rather than fill the disk the running box also needs.
        let needed = Self.spaceNeeded(forCopyOf: source)
        if let free = freeBytes(parent), free < needed {
            throw BackupError(.io, "not enough free space in \(parent) for the restored copy: it needs about "
                + "\(Self.mebibytes(needed)) MiB and \(Self.mebibytes(free)) MiB are free. Free some space (old "
                + "\(replacedPrefix(base))* folders of earlier restores can go once the restore is checked) and run "
                + "pillbox restore again; nothing was changed")
        }
        let stamp = String(BackupFolder.name(for: now).dropFirst(BackupFolder.prefix.count))
        let staging = (parent as NSString).appendingPathComponent(stagingPrefix(base) + stamp)
        guard mkdir(staging, 0o700) == 0 else { throw BackupError(.io, "cannot create \(staging) (errno \(errno))") }
        var newLock: Int32 = -1
        let pending: Int
        do throws(BackupError) {
            let database = (staging as NSString).appendingPathComponent(BackupManifest.databaseName)
            do { try copy(source, database) } catch {
                if Self.isDiskFull(error) {
                    throw BackupError(.io, "the disk of \(parent) filled up while copying the backup (ENOSPC); the copy "
                        + "was removed. Free some space and run pillbox restore again; nothing was changed")
                }
                throw BackupError(.io, "cannot copy \(source) to \(database): \(error); nothing was changed")
            }
            chmod(database, 0o600)
            try BackupFolder.sync(database)
            guard let (digest, _) = SHA256Digest.hashFile(atPath: database), Hex.encode(digest) == manifest.sha256 else {
                throw BackupError(.io, "the copy in \(staging) does not match the backup's checksum (a disk error?)")
            }
            pending = try requeue(database: database, now: now)
            try BackupFolder.sync(database)
            if exists { try giveOwnership(of: [staging, database], like: folder) }
            guard let fd = try BackupFolder.lock((staging as NSString).appendingPathComponent("pillbox.lock"), create: true) else {
                throw BackupError(.io, "cannot lock \(staging)/pillbox.lock")
            }
            newLock = fd
            if exists { try giveOwnership(of: [(staging as NSString).appendingPathComponent("pillbox.lock")], like: folder) }
            try BackupFolder.sync(staging)
        } catch {
            if newLock >= 0 { close(newLock) }
            try? fm.removeItem(atPath: staging)
            throw error
        }
        defer { close(newLock) }

        let keptAside = (parent as NSString).appendingPathComponent(replacedPrefix(base) + stamp)
        let aside: String?
        if exists {
            aside = try swap(staging, into: folder, keptAside: keptAside, exchange: exchange)
        } else {
            guard rename(staging, folder) == 0 else {
                let code = errno
                try? fm.removeItem(atPath: staging)
                throw BackupError(.io, "cannot rename \(staging) to \(folder) (errno \(code)); nothing was changed")
            }
            aside = nil
        }
        try BackupFolder.sync(parent)
        return RestoreOutcome(manifest: manifest, dataFolder: folder, keptAside: aside, pendingUploads: pending)
    }

    /// The name of the folder a restore copies into, beside data folder `base`, before the time.
    /// Room for the copy of `database` and for what preparing it writes (its WAL): its size
    /// plus a tenth, at least 1 MiB more.
    static func spaceNeeded(forCopyOf database: String) -> UInt64 {
        let size = ((try? FileManager.default.attributesOfItem(atPath: database))?[.size] as? NSNumber)?.uint64Value ?? 0
        return size + max(size / 10, 1 << 20)
    }

    /// Bytes an unprivileged writer may still use on the filesystem of `path` (nil if unknown).
    package static func freeBytes(_ path: String) -> UInt64? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        return UInt64(stats.f_bavail) * UInt64(stats.f_frsize)
    }

    static func mebibytes(_ bytes: UInt64) -> String {
        String(format: "%.1f", Double(bytes) / 1_048_576)
    }

    /// Whether a copy failed because the disk is full (ENOSPC, however Foundation wrapped it).
    static func isDiskFull(_ error: any Error) -> Bool {
        var current: NSError? = error as NSError
        while let nsError = current {
            if nsError.domain == NSPOSIXErrorDomain, nsError.code == Int(ENOSPC) { return true }
            if nsError.domain == NSCocoaErrorDomain, nsError.code == CocoaError.fileWriteOutOfSpace.rawValue { return true }
            current = nsError.userInfo[NSUnderlyingErrorKey] as? NSError
        }
        return false
    }

    static func stagingPrefix(_ base: String) -> String { ".\(base).restoring-" }
    /// The name the replaced data folder `base` is kept under, before the time.
    static func replacedPrefix(_ base: String) -> String { "\(base).replaced-" }

    /// When the data folder at `path` holds no database: a folder a restore left beside it
    /// (copy or replaced folder) that holds one, i.e. a restore was interrupted; else nil.
    package static func interruptedRestore(of path: String) -> String? {
        let fm = FileManager.default
        let folder = (path as NSString).standardizingPath
        guard !fm.fileExists(atPath: (folder as NSString).appendingPathComponent(BackupManifest.databaseName)) else { return nil }
        let parent = (folder as NSString).deletingLastPathComponent
        let base = (folder as NSString).lastPathComponent
        return ((try? fm.contentsOfDirectory(atPath: parent)) ?? []).sorted()
            .filter { $0.hasPrefix(replacedPrefix(base)) || $0.hasPrefix(stagingPrefix(base)) }
            .map { (parent as NSString).appendingPathComponent($0) }
            .first { fm.fileExists(atPath: ($0 as NSString).appendingPathComponent(BackupManifest.databaseName)) }
    }

    /// `renameat2(first, second, RENAME_EXCHANGE)`: 0, or -1 with errno set.
    static func renameExchange(_ first: String, _ second: String) -> Int32 {
        pillbox_rename_exchange(first, second)
    }

    /// Puts the `staging` folder in place of the existing data `folder` and the old folder at
    /// `keptAside`; returns where the old folder is. `exchange` is `renameat2(RENAME_EXCHANGE)`
    /// (a seam for the tests: a filesystem that cannot exchange answers -1 with EINVAL).
    static func swap(_ staging: String, into folder: String, keptAside: String,
                     exchange: (String, String) -> Int32) throws(BackupError) -> String {
        if exchange(staging, folder) == 0 {
            // The data folder is the restored one; the old one is under the staging name.
            guard rename(staging, keptAside) == 0 else { return staging }
            return keptAside
        }
        let code = errno
        guard code == EINVAL || code == ENOSYS else {
            try? FileManager.default.removeItem(atPath: staging)
            throw BackupError(.io, "cannot swap \(staging) and \(folder) (errno \(code)); nothing was changed")
        }
        guard rename(folder, keptAside) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(atPath: staging)
            throw BackupError(.io, "cannot rename \(folder) aside (errno \(code)); nothing was changed")
        }
        guard rename(staging, folder) == 0 else {
            let code = errno
            rename(keptAside, folder)
            throw BackupError(.io, "cannot rename \(staging) to \(folder) (errno \(code)); the data folder was put back")
        }
        return keptAside
    }

    /// Makes every pending version of the copy due now; returns how many there are.
    static func requeue(database: String, now: Date) throws(BackupError) -> Int {
        do {
            let queue = try DatabaseQueue(path: database)
            defer { try? queue.close() }
            return try queue.write { db in
                try db.execute(sql: "UPDATE outbox SET next_attempt_at = ? WHERE state = 'pending'",
                               arguments: [now.timeIntervalSince1970])
                return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = 'pending'") ?? 0
            }
        } catch {
            throw BackupError(.io, "cannot prepare the restored copy \(database): \(Store.describe(error))")
        }
    }

    /// Gives `paths` the owner and group of `reference` (when running as root: the tool
    /// restores as root, the daemon runs as user pillbox).
    static func giveOwnership(of paths: [String], like reference: String) throws(BackupError) {
        guard geteuid() == 0 else { return }
        var info = stat()
        guard stat(reference, &info) == 0 else { throw BackupError(.io, "cannot stat \(reference) (errno \(errno))") }
        for path in paths where chown(path, info.st_uid, info.st_gid) != 0 {
            throw BackupError(.io, "cannot give \(path) the owner of \(reference) (errno \(errno))")
        }
    }
}
