import Foundation
import GRDB
import PillboxCrypto
import PillboxModel
import Synchronization

/// The archive's read of the chain's prefix, a page at a time: each page is its own short
/// read, and the chain's check (the next sequence number, the link, the hash) is carried from
/// one page to the next. One snapshot held for the whole of a long trail (about 15 s for a
/// million entries here, minutes on a slow board) kept the write-ahead log from being
/// checkpointed for all that time, so it grew with every write the pharmacy made meanwhile;
/// pages read back to back did too, until the store checkpointed between them
/// (`Store.checkpointPassively`; docs/audit-archive.md, "Measured").
///
/// Pages are read one after the other (each is awaited before the next); the state is behind
/// a mutex only so that each page's read, on a GRDB queue, can reach it.
final class AuditArchiveScan: Sendable {
    private struct State {
        var writer: AuditArchiveWriter?
        /// The first page has read the anchor: where the chain starts.
        var started = false
        var previous: [UInt8] = []
        var expected: Int64 = 0
        var range: AuditArchiveRange?
        var boundaries: [Store.Boundary] = []
    }

    private let key: KeyedHMACSHA256
    private let before: Date
    private let destination: String?
    private let now: Date
    private let batchSize: Int
    private let state = Mutex(State())

    /// `destination` nil for a dry run (nothing is written).
    init(key: KeyedHMACSHA256, before: Date, destination: String?, now: Date, batchSize: Int) {
        self.key = key
        self.before = before
        self.destination = destination
        self.now = now
        self.batchSize = batchSize
    }

    /// Reads and checks up to `limit` entries after the last one read, writing them to the
    /// partial file. True when the prefix has ended (an entry recorded on or after the day,
    /// or the end of the trail); the trailer is then written and the file synced. A broken
    /// chain throws `.chainBroken`.
    func page(_ db: Database, limit: Int) throws(AuditArchiveError) -> Bool {
        try state.withLock { (state: inout State) throws(AuditArchiveError) -> Bool in
            do {
                return try read(db, limit: limit, into: &state)
            } catch let error as AuditArchiveError {
                throw error
            } catch {
                throw AuditArchiveError(.io, "reading the audit trail failed: \(Store.describe(error)); nothing was archived")
            }
        }
    }

    private func read(_ db: Database, limit: Int, into state: inout State) throws -> Bool {
        if !state.started {
            let (start, anchorProblem) = try AuditChain.start(db, key: key)
            if let anchorProblem {
                throw AuditArchiveError(.chainBroken, anchorProblem.message + "; nothing was archived")
            }
            state.started = true
            state.previous = start.previous
            state.expected = start.seq
        }
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit WHERE seq >= ? ORDER BY seq LIMIT ?",
                                       arguments: [state.expected, limit])
        let bound = before.timeIntervalSince1970
        var read = 0
        while let row = try rows.next() {
            read += 1
            let entry = Store.auditEntry(from: row)
            guard entry.at < bound else { return try end(&state) }
            guard let hash = AuditChain.holding(entry, seq: state.expected, previous: state.previous, key: key) else {
                throw AuditArchiveError(.chainBroken, "audit entry \(entry.seq) does not hold (entry \(state.expected) was expected "
                    + "next, linked to the one before it): nothing was archived; `pillbox audit verify` says what is wrong")
            }
            if state.writer == nil, let destination {
                state.writer = try AuditArchiveWriter(
                    path: AuditArchiveFile.partialPath(in: destination, first: entry.seq),
                    header: AuditArchiveFile.Header(format: AuditArchiveFile.format, firstSeq: entry.seq, prevHash: entry.prevHash,
                                                    before: Timestamps.format(before), writtenAt: Timestamps.format(now)))
            }
            try state.writer?.append(entry)
            let entries = (state.range?.entries ?? 0) + 1
            state.range = AuditArchiveRange(firstSeq: state.range?.firstSeq ?? entry.seq, lastSeq: entry.seq, entries: entries,
                                            firstAt: state.range?.firstAt ?? entry.at, lastAt: entry.at)
            if entries % batchSize == 0 { state.boundaries.append(Store.Boundary(seq: entry.seq, hash: hash)) }
            state.previous = hash
            state.expected += 1
        }
        return read < limit ? try end(&state) : false
    }

    private func end(_ state: inout State) throws -> Bool {
        if let range = state.range, state.boundaries.last?.seq != range.lastSeq {
            state.boundaries.append(Store.Boundary(seq: range.lastSeq, hash: state.previous))
        }
        try state.writer?.finish(AuditArchiveFile.Trailer(trailer: AuditArchiveFile.format, entries: state.range?.entries ?? 0,
                                                          lastSeq: state.range?.lastSeq ?? 0, lastHash: Hex.encode(state.previous)))
        return true
    }

    /// Entries read and checked so far.
    var entriesRead: Int { state.withLock { $0.range?.entries ?? 0 } }

    /// What was read, once the prefix has ended.
    var result: Store.ArchiveScan {
        state.withLock { Store.ArchiveScan(range: $0.range, partial: $0.writer?.path, boundaries: $0.boundaries) }
    }

    /// Removes the partial file after a failure.
    func discard() {
        state.withLock { state in
            if let writer = state.writer { unlink(writer.path) }
        }
    }
}
