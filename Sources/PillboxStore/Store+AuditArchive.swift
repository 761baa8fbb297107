import CPillboxSys
import Foundation
import GRDB
import PillboxCrypto
import PillboxModel
import Synchronization

/// One archive of a store at a time (`Store.archiveGate`).
final class ArchiveGate: Sendable {
    private let running = Mutex(false)

    /// False when an archive is already running.
    func enter() -> Bool { running.withLock { running in defer { running = true }; return !running } }
    func leave() { running.withLock { $0 = false } }
}

extension Store {
    /// Archives the audit entries recorded before `before` into a file in `destination`,
    /// then removes them from the store, keeping the chain verifiable from the anchor
    /// (docs/audit-archive.md). The entries are the chain's prefix up to the first one
    /// recorded on or after `before` (`at` is not monotonic in `seq`).
    ///
    /// Steps: the prefix is read `pageSize` entries at a time, each page a short read of its
    /// own, and its chain checked across pages while it is written to
    /// `.pillbox-audit-<first>.partial` (synced); the file is renamed to
    /// `pillbox-audit-<first>-<last>.jsonl`, the folder synced, and the file read back from
    /// the disk and checked; only then are the entries removed, `batchSize` at a time, each
    /// batch in one transaction that also moves the anchor, so the store is whole at every
    /// commit. Nothing is removed when any earlier step fails. With `dryRun`, only the
    /// range is returned. `beforeBatch` runs before each removal batch, with its index from 0
    /// (tests inject a crash there: at 0, after the file is complete and before anything is
    /// removed); `betweenPages` runs between two pages of the scan, with the next page's index.
    package func archiveAudit(before: Date, into destination: String, dryRun: Bool = false, now: Date = Date(),
                              batchSize: Int = 10_000, pageSize: Int = 10_000,
                              beforeBatch: (@Sendable (Int) throws -> Void)? = nil,
                              betweenPages: (@Sendable (Int) async throws -> Void)? = nil) async throws -> AuditArchiveOutcome {
        do {
            try Self.checkDestination(destination, dataFolder: (path as NSString).deletingLastPathComponent)
        } catch {
            throw AuditArchiveError(.destination, error.message)
        }
        guard archiveGate.enter() else {
            throw AuditArchiveError(.busy, "another archive of the audit trail is running; try again when it has finished")
        }
        defer { archiveGate.leave() }
        try checkRoomForRemoval()
        if !dryRun {
            BackupFolder.removeLeftovers(in: destination, prefix: AuditArchiveFile.partialPrefix, suffix: AuditArchiveFile.partialSuffix)
        }
        let scan = try await scanPrefix(before: before, destination: destination, dryRun: dryRun, now: now,
                                        batchSize: max(1, batchSize), pageSize: max(1, pageSize), betweenPages: betweenPages)
        guard let range = scan.range, let partial = scan.partial else {
            return AuditArchiveOutcome(range: scan.range, file: nil)
        }
        logger.info("Audit archive: file written, reading it back to check it", metadata: [
            "archive.partial": "\(partial)", "archive.entries": "\(range.entries)"])
        let key = keys.auditMAC
        let lastHash = scan.boundaries.last?.hash ?? []
        let file = try await Blocking.run { () throws(AuditArchiveError) -> AuditArchiveOutcome.File in
            try AuditArchiveFile.publish(partial, range: range, lastHash: lastHash, folder: destination, key: key)
        }
        // Writes went on while the file was written: the WAL may have grown.
        try checkRoomForRemoval(written: file.path)
        try await removeArchived(scan.boundaries, from: range, file: file.path, now: now, beforeBatch: beforeBatch)
        logger.notice("Audit entries archived", metadata: [
            "archive.path": "\(file.path)", "archive.first": "\(range.firstSeq)", "archive.last": "\(range.lastSeq)",
            "archive.entries": "\(range.entries)"])
        return AuditArchiveOutcome(range: range, file: file)
    }

    /// What the scan read: the range, the partial file written, and the (seq, hash) at
    /// which each removal batch ends.
    struct ArchiveScan: Sendable {
        var range: AuditArchiveRange?
        var partial: String?
        var boundaries: [Boundary]
    }

    struct Boundary: Sendable {
        var seq: Int64
        var hash: [UInt8]
    }

    /// Reads the prefix a page at a time (`AuditArchiveScan`), checking its chain, and
    /// writes it to a partial file (not on a dry run). A broken chain throws `.chainBroken`;
    /// the partial file is removed on any failure.
    private func scanPrefix(before: Date, destination: String, dryRun: Bool, now: Date, batchSize: Int, pageSize: Int,
                            betweenPages: (@Sendable (Int) async throws -> Void)?) async throws -> ArchiveScan {
        let scan = AuditArchiveScan(key: keys.auditMAC, before: before, destination: dryRun ? nil : destination, now: now,
                                    batchSize: batchSize)
        do {
            var page = 0
            while true {
                if page > 0 { try await betweenPages?(page) }
                // `read` reports errors other than the store's as `.io`: the archive's own come back as a value.
                let ended = try await read { db -> Result<Bool, AuditArchiveError> in
                    do throws(AuditArchiveError) { return .success(try scan.page(db, limit: pageSize)) } catch { return .failure(error) }
                }
                if try ended.get() { return scan.result }
                await checkpointPassively()
                page += 1
                if page % Self.archiveProgressSteps == 0 {
                    logger.info("Audit archive: reading the trail", metadata: ["archive.read": "\(scan.entriesRead)"])
                }
            }
        } catch {
            scan.discard()
            // Cancelled (pillboxd stopping, the request gone): GRDB's read refuses to start, or
            // interrupts its statement; the partial file is gone and nothing was removed.
            if Task.isCancelled {
                throw AuditArchiveError(.io, "the archive stopped before anything was removed from the store (pillboxd is "
                    + "stopping, or the request was cancelled); nothing was kept in the destination: run it again")
            }
            throw error
        }
    }

    /// Copies the write-ahead log into the database as far as the readers allow, waiting for
    /// no one; a failure (a full disk) is left to SQLite's next automatic checkpoint. Between
    /// two pages of the scan no page is read, so the log can be copied to its end; the next
    /// page then reads from the database file and does not keep SQLite from starting the log
    /// over. Without it, pages read back to back under a steady load of writes kept it
    /// growing for the whole scan (docs/audit-archive.md, "Measured").
    func checkpointPassively() async {
        _ = try? await pool.writeWithoutTransaction { db in try db.checkpoint(.passive) }
    }

    /// Removes the archived entries batch by batch; each transaction checks that the anchor
    /// is where the last one left it (another archive did not run meanwhile) and that exactly
    /// the batch's entries went, then moves the anchor to the batch's last entry.
    private func removeArchived(_ boundaries: [Boundary], from range: AuditArchiveRange, file: String, now: Date,
                                beforeBatch: (@Sendable (Int) throws -> Void)?) async throws {
        let key = keys.auditMAC
        var anchorSeq = range.firstSeq - 1
        for (index, boundary) in boundaries.enumerated() {
            let expectedAnchor = anchorSeq
            do {
                try beforeBatch?(index)
                try await write { db in
                    guard (try AuditAnchor.read(db)?.seq ?? 0) == expectedAnchor else {
                        throw StoreError(.integrity, "the audit trail's start moved while archiving (another archive ran)")
                    }
                    // The batch's last entry is the one the file ends the batch with (not one restored or re-made meanwhile).
                    guard try Data.fetchOne(db, sql: "SELECT hash FROM audit WHERE seq = ?", arguments: [boundary.seq])
                            == Data(boundary.hash) else {
                        throw StoreError(.integrity, "audit entry \(boundary.seq) is not the one archived (it changed while archiving)")
                    }
                    try db.execute(sql: "DELETE FROM audit WHERE seq <= ?", arguments: [boundary.seq])
                    guard db.changesCount == Int(boundary.seq - expectedAnchor) else {
                        throw StoreError(.integrity, "the store held \(db.changesCount) entries up to \(boundary.seq), "
                            + "\(boundary.seq - expectedAnchor) were expected")
                    }
                    try AuditAnchor(seq: boundary.seq, hash: boundary.hash, archivedAt: now.timeIntervalSince1970, key: key).write(db)
                }
            } catch {
                var cause = (error as? StoreError)?.message ?? "\(error)"
                if (error as? StoreError)?.code == .diskFull { cause += "; " + roomAdvice() }
                logger.error("Archiving audit entries stopped", metadata: [
                    "archive.path": "\(file)", "archive.removed": "\(anchorSeq - range.firstSeq + 1)", "error.detail": "\(cause)"])
                throw AuditArchiveError(.removal, "\(file) holds entries \(range.firstSeq) to \(range.lastSeq), but removing them "
                    + "from the store stopped after \(anchorSeq - range.firstSeq + 1) of \(range.entries): \(cause). Nothing is lost "
                    + "and the trail still verifies; run the archive again once the cause is mended (it goes on from entry \(anchorSeq + 1))")
            }
            anchorSeq = boundary.seq
            if (index + 1) % Self.archiveProgressSteps == 0, index + 1 < boundaries.count {
                logger.info("Audit archive: removing the archived entries from the store", metadata: [
                    "archive.removed": "\(anchorSeq - range.firstSeq + 1)", "archive.entries": "\(range.entries)"])
            }
        }
    }

    /// A progress line in the log every this many pages read, or batches removed (with the
    /// defaults, every 100,000 entries): an archive of millions of entries takes minutes on a
    /// small board, and `journalctl -u pillboxd -f` shows that it is going on.
    static let archiveProgressSteps = 10
}

extension Store {
    /// Refuses, before anything is written, when the data folder's disk has less room than
    /// the removal needs (`roomNeeded`): on a full disk the file would be written and then
    /// nothing could be removed. `written`: the archive file, when it is already complete.
    func checkRoomForRemoval(written: String? = nil) throws(AuditArchiveError) {
        guard let disk = diskSpace(), disk.freeBytes < roomNeeded() else { return }
        throw AuditArchiveError(.noRoom, "the data folder's disk has \(Self.mib(disk.freeBytes)) free; " + roomAdvice()
            + (written.map { "; \($0) is complete, and nothing was removed from the store" } ?? "; nothing was written or removed"))
    }

    /// In WAL mode every commit first goes to the write-ahead log, and a checkpoint may grow
    /// the database file by as much as the log holds; so removing entries needs about the
    /// log's size free, and a little for its own frames. Measured on a full tmpfs
    /// (`StoreAuditArchiveFullDiskTests`): with a 4.0 MiB log, 2 MiB freed was not enough
    /// and 4 MiB was.
    func roomNeeded() -> Int64 {
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber)?.int64Value ?? 0
        return wal + (1 << 20)
    }

    func roomAdvice() -> String {
        "removing audit entries needs about \(Self.mib(roomNeeded())) free on the data folder's disk (for the store's write-ahead "
            + "log): free that much there (journalctl --vacuum-size=50M, an older backup kept on that disk), then run the archive again"
    }

    static func mib(_ bytes: Int64) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
}

extension AuditArchiveFile {
    static func partialPath(in destination: String, first: Int64) -> String {
        (destination as NSString).appendingPathComponent(partialPrefix + "\(first)" + partialSuffix)
    }

    /// Renames the synced partial file to its final name, syncs the folder, reads the file
    /// back and checks it against the range read from the store; a file that does not check
    /// is removed.
    ///
    /// An existing file is never replaced: the range's name with `-2`, `-3`… is taken
    /// instead. The same range comes again after a run stopped before its removal (the same
    /// entries), but also after a restore from a backup older than an archive (entries with
    /// the same numbers that differ), or from another data folder archiving into the same
    /// folder: the older file must stay.
    static func publish(_ partial: String, range: AuditArchiveRange, lastHash: [UInt8], folder: String,
                        key: KeyedHMACSHA256) throws(AuditArchiveError) -> AuditArchiveOutcome.File {
        let base = name(first: range.firstSeq, last: range.lastSeq)
        var final: String?
        for copy in 1...1000 where final == nil {
            let candidate = (folder as NSString).appendingPathComponent(
                copy == 1 ? base : base.replacingOccurrences(of: ".jsonl", with: "-\(copy).jsonl"))
            if pillbox_rename_noreplace(partial, candidate) == 0 {
                final = candidate
            } else if errno == EINVAL || errno == ENOSYS {
                // A filesystem (or kernel) that cannot refuse to replace: look first.
                if !FileManager.default.fileExists(atPath: candidate), rename(partial, candidate) == 0 { final = candidate }
            } else if errno != EEXIST {
                let cause = AuditArchiveWriter.errnoText()
                unlink(partial)
                throw AuditArchiveError(.io, "cannot rename \(partial) to \(candidate) (\(cause)); nothing was removed from the store")
            }
        }
        guard let final else {
            unlink(partial)
            throw AuditArchiveError(.io, "\(folder) already holds 1000 files named like \(base); nothing was removed from the store")
        }
        do {
            try BackupFolder.sync(folder)
        } catch {
            throw AuditArchiveError(.io, error.message + "; nothing was removed from the store")
        }
        do throws(AuditArchiveError) {
            let (header, trailer) = try check(path: final, key: key)
            guard header.firstSeq == range.firstSeq, trailer.lastSeq == range.lastSeq, trailer.entries == range.entries,
                  trailer.lastHash == Hex.encode(lastHash) else {
                throw AuditArchiveError(.io, "\(final) read back with entries \(header.firstSeq) to \(trailer.lastSeq), not the "
                    + "\(range.firstSeq) to \(range.lastSeq) written; nothing was removed from the store: check the destination's disk and try again")
            }
        } catch {
            unlink(final)
            throw error
        }
        guard let (digest, bytes) = SHA256Digest.hashFile(atPath: final) else {
            throw AuditArchiveError(.io, "cannot read \(final) back to hash it; nothing was removed from the store")
        }
        return AuditArchiveOutcome.File(path: final, sha256: Hex.encode(digest), bytes: bytes)
    }
}

/// What checking an archive file found (`Store.verifyAuditArchive`).
package struct AuditArchiveFileCheck: Sendable, Equatable {
    package var inspection: AuditArchiveFile.Inspection
    package var sha256: String
    package var bytes: Int64
    /// The store's trail goes on from this file's last entry: it is this store's newest archive.
    package var continuedByStore: Bool
}

extension Store {
    /// Checks an archive file written by this store: every link, and every hash under this
    /// store's audit key (a file written by another data folder does not hold). Throws
    /// `.destination` when `path` is not a regular file, `.io` when it cannot be read.
    package func verifyAuditArchive(path: String) async throws -> AuditArchiveFileCheck {
        let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
        guard type == .typeRegular else {
            throw AuditArchiveError(.destination, "\(path) is not a file (pillbox-audit-<first>-<last>.jsonl in a backup folder)")
        }
        let key = keys.auditMAC
        var check = try await Blocking.run { try Self.inspectArchive(path: path, key: key) }
        let anchor = try await read { db in try AuditAnchor.read(db) }
        if case .holds(_, let trailer) = check.inspection, let anchor {
            check.continuedByStore = anchor.seq == trailer.lastSeq && Hex.encode(anchor.hash) == trailer.lastHash
        }
        return check
    }

    private static func inspectArchive(path: String, key: KeyedHMACSHA256) throws -> AuditArchiveFileCheck {
        let inspection = try AuditArchiveFile.inspect(path: path, key: key)
        guard let (digest, bytes) = SHA256Digest.hashFile(atPath: path) else { throw AuditArchiveError(.io, "cannot read \(path)") }
        return AuditArchiveFileCheck(inspection: inspection, sha256: Hex.encode(digest), bytes: bytes, continuedByStore: false)
    }
}
