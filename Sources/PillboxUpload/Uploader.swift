import Foundation
import Logging
import Metrics
import PillboxFHIR
import PillboxModel
import PillboxStore
import ServiceLifecycle

/// Drains the outbox to the central record: a `Service` in the daemon's group. It only does
/// I/O and reports: it reads a batch, sends it, asks `UploadPolicy` what the answer means,
/// saves the dispositions, and logs. Every version is sent (in order per dispense) until the
/// central record accepts it or refuses it while accepting others (dead letter). See docs/upload.md.
package struct Uploader: Service {
    let store: Store
    let client: CentralClient
    let health: CentralHealth
    /// Signalled by a technician's sync request: cuts any wait short.
    let wakeup: Wakeup
    /// Signalled by the store after each commit that adds outbox entries (a version was
    /// recorded): wakes only an idle uploader, never one that is backing off (a busy
    /// pharmacy would otherwise retry once per dispense).
    let newWork = Wakeup()
    let settings: UploadSettings
    let logger: Logger
    let now: @Sendable () -> Date
    let random: @Sendable (Double) -> Double
    /// Saves the dispositions of one attempt: the store's `recordUploadResults`, or a test's
    /// stand-in (a seam to inject a save failure such as a full disk).
    let saveResults: @Sendable ([(seq: Int64, disposition: UploadDisposition)], Date) async throws -> Void

    package init(store: Store, client: CentralClient, health: CentralHealth, wakeup: Wakeup, settings: UploadSettings, logger: Logger, now: @escaping @Sendable () -> Date = { Date() },
                random: @escaping @Sendable (Double) -> Double = { Double.random(in: 0...max(0, $0)) },
                saveResults: (@Sendable ([(seq: Int64, disposition: UploadDisposition)], Date) async throws -> Void)? = nil) {
        self.store = store
        self.client = client
        self.health = health
        self.wakeup = wakeup
        self.settings = settings
        self.logger = logger
        self.now = now
        self.random = random
        self.saveResults = saveResults ?? { results, date in try await store.recordUploadResults(results, now: date) }
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.loop()
        }
    }

    /// Attempts and waits until cancelled, woken early by `wakeup` and, when idle, by the
    /// store's announcements of new outbox entries.
    func loop() async {
        await store.observingOutboxWork({ [newWork] in newWork.signal() }) { await self.attempts() }
    }

    private func attempts() async {
        var policy = UploadPolicy(settings: settings, random: random)
        var action = policy.start()
        var idle = false
        while !Task.isCancelled {
            switch action {
            case .wait(let seconds):
                if idle {
                    await Wakeup.first(of: [wakeup, newWork], seconds: seconds)
                } else {
                    await wakeup.wait(seconds: seconds)
                }
                action = .send(batchSize: policy.batchSize)
            case .send(let batchSize):
                (action, idle) = await attempt(batchSize: batchSize, policy: &policy)
            }
        }
    }

    /// One attempt: take a batch, send it, let the policy judge the answer, save and report.
    func attempt(batchSize: Int, policy: inout UploadPolicy) async -> (next: UploadPolicy.Action, idle: Bool) {
        let started = now()
        let batch: [OutboxItem]
        do {
            let next = try await store.nextUploadBatch(limit: batchSize, now: started)
            if !next.unreadable.isEmpty {
                // A version that fails its integrity check cannot be sent: dead-letter it, go on.
                let dead = next.unreadable.map { ($0, UploadDisposition.deadLetter(
                    summary: "stored version unreadable (integrity check failed)", outcome: nil)) }
                guard await save(dead, at: started) else { return (policy.saveFailed(), false) }
                logger.error("Unreadable versions dead-lettered", metadata: ["upload.entries": "\(next.unreadable.count)"])
            }
            batch = next.items
            if batch.isEmpty && !next.unreadable.isEmpty { return (.send(batchSize: batchSize), false) }
            if batch.isEmpty {
                let due = try await store.nextUploadDue()
                let decision = policy.decide(batch: [], outcome: .empty(nextDueIn: due.map { $0.timeIntervalSince(started) }))
                return (decision.action, true)
            }
        } catch {
            if !Task.isCancelled { logger.error("Cannot read the outbox", metadata: ["error": "\(error)"]) }
            return (policy.decide(batch: [], outcome: .outboxUnavailable).action, false)
        }
        let result = await client.upload(batch.map(\.record))
        let finished = now()
        let outcome = Self.outcome(result)
        var credentialsAccepted: Bool?
        if UploadPolicy.needsCredentialCheck(outcome) { credentialsAccepted = await client.credentialsAccepted() }
        let previous = policy.condition
        let entries = batch.map { UploadPolicy.Entry(seq: $0.seq, attempts: $0.attempts) }
        let decision = policy.decide(batch: entries, outcome: outcome, credentialsAccepted: credentialsAccepted)
        report(result, batch: batch, decision: decision, previous: previous, at: finished)
        let results = dispositions(decision, batch: batch, result: result, at: finished)
        guard await save(results, at: finished) else { return (policy.saveFailed(), false) }
        policy.saved()
        health.uploadCondition(decision.condition?.rawValue, heldEntries: policy.held.count, at: finished)
        return (decision.action, false)
    }

    /// The attempt's outcome as the policy reads it.
    static func outcome(_ result: CentralClient.BatchResult) -> UploadPolicy.Outcome {
        switch result {
        case .transportFailed: .noAnswer
        case .unreadable: .unreadableAnswer
        case .refused(let status, let retryAfter, _): .refused(status: status, retryAfter: retryAfter)
        case .answered(let outcomes): .answered(entryStatuses: outcomes.map(\.status))
        }
    }

    /// The policy's dispositions as outbox updates, with non-identifying summaries.
    func dispositions(_ decision: UploadPolicy.Decision, batch: [OutboxItem], result: CentralClient.BatchResult,
                      at date: Date) -> [(seq: Int64, disposition: UploadDisposition)] {
        var results: [(seq: Int64, disposition: UploadDisposition)] = []
        for (index, item) in batch.enumerated() {
            let (status, outcome): (Int, JSONValue?) = switch result {
            case .answered(let outcomes) where index < outcomes.count: (outcomes[index].status, outcomes[index].outcome)
            case .refused(let status, _, let outcome): (status, outcome)
            default: (0, nil)
            }
            let summary = Self.summary(status: status, outcome: outcome)
            switch decision.entries[index] {
            case .sent:
                results.append((item.seq, .sent))
            case .retry(let seconds):
                results.append((item.seq, .retry(at: date.addingTimeInterval(seconds), summary: summary)))
            case .hold(let seconds):
                results.append((item.seq, .retry(at: date.addingTimeInterval(seconds),
                                                 summary: "\(summary); held: refused while nothing else was accepted")))
            case .deadLetter:
                results.append((item.seq, .deadLetter(summary: summary, outcome: outcome)))
            case .untouched:
                break
            }
        }
        results += decision.released.map { ($0, .release(at: date)) }
        return results
    }

    /// Health, counters and log lines for one attempt (record ids and codes only).
    private func report(_ result: CentralClient.BatchResult, batch: [OutboxItem], decision: UploadPolicy.Decision,
                        previous: UploadPolicy.Condition?, at date: Date) {
        switch result {
        case .transportFailed(let error):
            health.failed(at: date, error: error.message, reachable: false)
            Counter(label: "pillbox_upload_batches_total", dimensions: [("result", "transport_error")]).increment()
            logger.warning("Central record unreachable; will retry",
                           metadata: ["upload.entries": "\(batch.count)", "error": "\(error.message)"])
        case .unreadable(let why):
            health.failed(at: date, error: "unreadable answer: \(why)", reachable: true)
            Counter(label: "pillbox_upload_batches_total", dimensions: [("result", "unreadable")]).increment()
            logger.error("Central record's answer unreadable; will retry", metadata: ["error": "\(why)"])
        case .refused(let status, let retryAfter, _):
            Counter(label: "pillbox_upload_batches_total", dimensions: [("result", "http_\(status)")]).increment()
            reportRefused(status: status, retryAfter: retryAfter, batch: batch, decision: decision, at: date)
        case .answered:
            health.succeeded(at: date)
            Counter(label: "pillbox_upload_batches_total", dimensions: [("result", "answered")]).increment()
            var counts: [String: Int] = [:]
            for disposition in decision.entries {
                switch disposition {
                case .sent: counts["sent", default: 0] += 1
                case .retry: counts["retry", default: 0] += 1
                case .hold: counts["held", default: 0] += 1
                case .deadLetter: counts["dead_letter", default: 0] += 1
                case .untouched: counts["untouched", default: 0] += 1
                }
            }
            for (result, count) in counts {
                Counter(label: "pillbox_upload_entries_total", dimensions: [("result", result)]).increment(by: count)
            }
            logger.info("Upload batch answered", metadata: [
                "upload.sent": "\(counts["sent"] ?? 0)", "upload.retry": "\(counts["retry"] ?? 0)",
                "upload.held": "\(counts["held"] ?? 0)", "upload.dead_letter": "\(counts["dead_letter"] ?? 0)",
                "upload.untouched": "\(counts["untouched"] ?? 0)", "upload.released": "\(decision.released.count)",
            ])
        }
        reportCondition(decision.condition, previous: previous, at: date)
    }

    private func reportRefused(status: Int, retryAfter: Double?, batch: [OutboxItem], decision: UploadPolicy.Decision,
                               at date: Date) {
        switch UploadPolicy.classify(status: status, scope: .request) {
        case .transient, .accepted:
            health.failed(at: date, error: "HTTP \(status)", reachable: true)
            logger.warning("Central record busy or failing; will retry",
                           metadata: ["http.status": "\(status)", "retry_after": "\(retryAfter.map { "\($0)" } ?? "-")"])
        case .credentials:
            health.failed(at: date, error: "HTTP \(status): the central record refused our credentials", reachable: true)
            logger.error("Central record refused our credentials; check the client certificate",
                         metadata: ["http.status": "\(status)"])
        case .configuration:
            health.failed(at: date, error: "HTTP \(status): the central record did not accept the request; check central.url",
                          reachable: true)
            logger.error("Central record answered an unexpected status; check central.url",
                         metadata: ["http.status": "\(status)"])
        case .content:
            health.succeeded(at: date)
            if batch.count > 1 {
                logger.warning("Central record refused a whole bundle; splitting it to isolate the cause",
                               metadata: ["http.status": "\(status)", "upload.entries": "\(batch.count)"])
            }
        }
        if decision.entries.contains(.deadLetter) {
            Counter(label: "pillbox_upload_entries_total", dimensions: [("result", "dead_letter")]).increment()
            logger.error("Entry dead-lettered", metadata: ["outbox.seq": "\(batch[0].seq)", "http.status": "\(status)"])
        } else if case .hold = decision.entries.first, batch.count == 1 {
            logger.warning("Entry refused while nothing else was accepted; held back",
                           metadata: ["outbox.seq": "\(batch[0].seq)", "http.status": "\(status)"])
        }
    }

    private func reportCondition(_ condition: UploadPolicy.Condition?, previous: UploadPolicy.Condition?, at date: Date) {
        guard condition != previous else { return }
        if let condition {
            if condition == .systemicRefusal {
                health.failed(at: date, error: "systemic refusal: the central record refused \(settings.systemicRefusalThreshold) "
                    + "entries in a row and accepted none; nothing is dead-lettered, retrying", reachable: true)
            }
            logger.error("Central record takes no uploads: configuration problem; backing off, will retry", metadata: [
                "central.problem": "\(condition.rawValue)",
                "upload.threshold": "\(settings.systemicRefusalThreshold)",
            ])
        } else if let previous {
            logger.notice("Central record accepts uploads again", metadata: ["central.problem_ended": "\(previous.rawValue)"])
        }
    }

    /// Saves one attempt's results; false when they could not be saved (the entries stay
    /// pending and are resent after a back-off; PUTs make that safe).
    private func save(_ results: [(seq: Int64, disposition: UploadDisposition)], at date: Date) async -> Bool {
        guard !results.isEmpty else { return true }
        do {
            try await saveResults(results, date)
            return true
        } catch {
            health.failed(at: date, error: "cannot record upload results locally", reachable: health.snapshot.reachable ?? false)
            Counter(label: "pillbox_upload_batches_total", dimensions: [("result", "save_failed")]).increment()
            logger.error("Cannot record upload results; backing off, the entries will be resent", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// A non-identifying summary: the status and the OperationOutcome's issue codes (never
    /// its diagnostics, which may echo submitted values).
    static func summary(status: Int, outcome: JSONValue?) -> String {
        var codes: [String] = []
        if case .object(let object)? = outcome, case .array(let issues)? = object["issue"] {
            for issue in issues {
                if case .object(let fields) = issue, case .string(let code)? = fields["code"] { codes.append(code) }
            }
        }
        return codes.isEmpty ? "HTTP \(status)" : "HTTP \(status) (\(codes.joined(separator: ", ")))"
    }
}
