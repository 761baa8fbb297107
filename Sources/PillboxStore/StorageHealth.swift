import Foundation
import Logging
import PillboxModel
import Synchronization

/// Tracks the outcome of the store's commits: the current storage condition, the latch
/// after a failed fsync, when a probe commit is due, and whether the writer makes progress.
///
/// Fed by `Store.write` (the results of group commit) and by `CommitObserver` on the writer
/// connection: a commit that started and never completed is seen by the next batch's first
/// work, on the writer, before `Store.write` of the failed batch may have classified it.
final class StorageHealth: Sendable {
    private struct State {
        var fault: StorageFault?
        var faultSince: Date?
        /// When a write last failed with `fault`.
        var lastFaultAt: ContinuousClock.Instant?
        /// Set after a failed fsync or I/O error; never cleared while the process lives.
        var latched = false
        /// A COMMIT began on the writer and has not completed (SQLite's commit hook ran, its
        /// success notification not yet).
        var commitOpen = false
        /// A work found `commitOpen`: the previous commit failed and its error is not yet
        /// classified; works wait (`admitWork`) until it is.
        var inDoubt = false
        var lastOutcome: ContinuousClock.Instant?
        var lastCommitAt: Date?
        var probeStartedAt: ContinuousClock.Instant?
        var probes = 0
        var inFlight = 0
        var lastProgress = ContinuousClock.now
    }

    /// At most one probe commit per this interval, and none when a real commit succeeded
    /// (or failed on storage) within it.
    let probeInterval: Duration
    private let logger: Logger
    private let state = Mutex(State())

    init(probeInterval: Duration, logger: Logger) {
        self.probeInterval = probeInterval
        self.logger = logger
    }

    /// The error a write must fail with before it enters group commit, or nil.
    func refusal() -> StoreError? {
        state.withLock { state in
            if state.latched, let fault = state.fault { return Self.refusedError(fault) }
            return nil
        }
    }

    /// Called by each work on the writer, inside its batch: throws when the store is latched.
    /// When the previous commit began and never completed (it failed, and `Store.write` has not
    /// classified its error yet), waits for that classification, up to `doubtWait`, so that a
    /// batch never commits right behind a failed fsync; a full disk lets the work go on.
    func admitWork(doubtWait: Duration = .seconds(1)) throws(StoreError) {
        let deadline = ContinuousClock.now + doubtWait
        while true {
            let (refusal, waiting) = state.withLock { state -> (StoreError?, Bool) in
                if state.latched, let fault = state.fault { return (Self.refusedError(fault), false) }
                if state.commitOpen { state.inDoubt = true }
                return (nil, state.inDoubt)
            }
            if let refusal { throw refusal }
            if !waiting { return }
            guard ContinuousClock.now < deadline else {
                throw StoreError(.io, "the previous commit failed and its cause is not known yet; nothing was written")
            }
            // On the writer's queue, not the cooperative pool: the classification runs elsewhere.
            usleep(200)
        }
    }

    /// SQLite's commit hook ran on the writer: a COMMIT is under way.
    func commitStarted() {
        state.withLock { $0.commitOpen = true }
    }

    /// The COMMIT completed (durably, with synchronous=FULL).
    func commitCompleted() {
        state.withLock { $0.commitOpen = false }
    }

    static func refusedError(_ fault: StorageFault) -> StoreError {
        StoreError(.storageFailed, fault.cause)
    }

    /// A write is about to enter group commit.
    func writeStarted() {
        state.withLock { state in
            if state.inFlight == 0 { state.lastProgress = .now }
            state.inFlight += 1
        }
    }

    /// A write (or probe) committed.
    func writeSucceeded(now: Date = Date()) {
        let recovered = state.withLock { state -> StorageFault? in
            state.inFlight = max(0, state.inFlight - 1)
            state.lastProgress = .now
            state.lastOutcome = .now
            state.lastCommitAt = now
            // A transient fault clears once a commit succeeds and none failed for a whole probe
            // interval: a nearly full disk that takes small writes and refuses larger ones stays
            // reported as full instead of flapping.
            guard !state.latched, let fault = state.fault,
                  state.lastFaultAt.map({ .now - $0 >= probeInterval }) ?? true else { return nil }
            state.fault = nil
            state.lastFaultAt = nil
            state.faultSince = nil
            return fault
        }
        if let recovered {
            logger.notice("Store writes again", metadata: ["storage.state": "ok", "storage.previous": "\(recovered.kind.rawValue)"])
        }
    }

    /// A write ended without committing; `fault` is its storage cause, nil when the failure
    /// was the work's own (a refused change, an integrity error, a cancellation).
    func writeFailed(_ fault: StorageFault?, now: Date = Date()) {
        let transition = state.withLock { state -> (StorageFault, latched: Bool)? in
            state.inFlight = max(0, state.inFlight - 1)
            state.lastProgress = .now
            // The failed commit is classified now: the next batch may go (or is refused by the latch).
            state.commitOpen = false
            state.inDoubt = false
            guard let fault, !state.latched else { return nil }
            state.lastOutcome = .now
            state.lastFaultAt = .now
            let changed = state.fault != fault
            if changed {
                state.fault = fault
                state.faultSince = now
            }
            if fault.kind == .failed {
                state.latched = true
                return (fault, true)
            }
            return changed ? (fault, false) : nil
        }
        guard let (fault, latched) = transition else { return }
        let metadata: Logger.Metadata = ["storage.state": "\(fault.kind.rawValue)", "storage.cause": "\(fault.cause)"]
        if latched {
            logger.critical("Storage failed; writes are stopped until pillboxd is restarted (a technician must check the disk); reads go on",
                            metadata: metadata)
        } else if fault.kind == .diskFull {
            logger.error("Disk full (ENOSPC); writes are refused until space is freed, then resume by themselves; reads go on",
                         metadata: metadata)
        } else {
            logger.error("Store cannot write; writes are refused until the cause is fixed; reads go on", metadata: metadata)
        }
    }

    /// A write ended with an error of its own work (or a refusal): progress, nothing learnt
    /// about the storage.
    func writeEnded() {
        state.withLock { state in
            state.inFlight = max(0, state.inFlight - 1)
            state.lastProgress = .now
        }
    }

    /// Reserves the probe when one is due (no commit outcome and no probe within the
    /// interval, not latched); returns false when the report can be answered as is.
    func beginProbeIfDue(now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { state in
            if state.latched { return false }
            if let last = state.lastOutcome, now - last < probeInterval { return false }
            if let started = state.probeStartedAt, now - started < probeInterval { return false }
            state.probeStartedAt = now
            state.probes += 1
            return true
        }
    }

    /// True when writes are waiting and none has completed for `threshold`: the writer is stuck.
    func writerStalled(longerThan threshold: Duration, now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { $0.inFlight > 0 && now - $0.lastProgress > threshold }
    }

    /// The current state.
    func report() -> StorageReport {
        state.withLock { state in
            var report = StorageReport(state: .ok, lastCommitAt: state.lastCommitAt.map(Timestamps.format),
                                       probeCommits: state.probes)
            if let fault = state.fault {
                report.state = state.latched ? .failed : (fault.kind == .diskFull ? .diskFull : .unavailable)
                report.cause = fault.cause
                report.since = state.faultSince.map(Timestamps.format)
            }
            return report
        }
    }
}
