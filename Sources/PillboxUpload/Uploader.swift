import Foundation
import Logging
import Metrics
import PillboxFHIR
import PillboxModel
import PillboxStore
import ServiceLifecycle

/// Drains the outbox to the central record: a `Service` in the daemon's group, driven by
/// `UploadPolicy`. Every version is sent (in order per dispense) until the central record
/// accepts it or refuses it for good (dead letter). See docs/upload.md.
public struct Uploader: Service {
    let store: Store
    let client: CentralClient
    let health: CentralHealth
    /// Signalled by a technician's sync request: cuts any wait short.
    let wakeup: Wakeup
    /// Signalled when a version is recorded: wakes only an idle uploader, never one that is
    /// backing off (a busy pharmacy would otherwise retry once per dispense).
    let newWork: Wakeup
    let settings: UploadSettings
    let logger: Logger
    let now: @Sendable () -> Date
    let random: @Sendable (Double) -> Double

    public init(store: Store, client: CentralClient, health: CentralHealth, wakeup: Wakeup, newWork: Wakeup = Wakeup(),
                settings: UploadSettings, logger: Logger, now: @escaping @Sendable () -> Date = { Date() },
                random: @escaping @Sendable (Double) -> Double = { Double.random(in: 0...max(0, $0)) }) {
        self.store = store
        self.client = client
        self.health = health
        self.wakeup = wakeup
        self.newWork = newWork
        self.settings = settings
        self.logger = logger
        self.now = now
        self.random = random
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.loop()
        }
    }

    func loop() async {
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
                let event = await attempt(batchSize: batchSize, policy: policy)
                if case .empty = event { idle = true } else { idle = false }
                action = policy.next(after: event)
            }
        }
    }

    /// One attempt: take a batch, send it, record what happened to each entry.
    func attempt(batchSize: Int, policy: UploadPolicy) async -> UploadPolicy.Event {
        let started = now()
        let batch: [OutboxItem]
        do {
            let next = try await store.nextUploadBatch(limit: batchSize, now: started)
            if !next.unreadable.isEmpty {
                // A version that fails its integrity check cannot be sent: dead-letter it, go on.
                await save(next.unreadable.map { ($0, .deadLetter(summary: "stored version unreadable (integrity check failed)",
                                                                  outcome: nil)) }, at: started)
                logger.error("Unreadable versions dead-lettered", metadata: ["upload.entries": "\(next.unreadable.count)"])
            }
            batch = next.items
            if batch.isEmpty && !next.unreadable.isEmpty { return .answered }
            if batch.isEmpty {
                let due = try await store.nextUploadDue()
                return .empty(nextDueIn: due.map { $0.timeIntervalSince(started) })
            }
        } catch {
            logger.error("Cannot read the outbox", metadata: ["error": "\(error)"])
            return .transient(retryAfter: nil)
        }
        let result = await client.upload(batch.map(\.record))
        let finished = now()
        switch result {
        case .transportFailed(let error):
            health.failed(at: finished, error: error.message, reachable: false)
            Counter(label: "pillbox_upload_batches_total", dimensions: [("result", "transport_error")]).increment()
            logger.warning("Central record unreachable; will retry",
                           metadata: ["upload.entries": "\(batch.count)", "error": "\(error.message)"])
            return .transient(retryAfter: nil)
        case .unreadable(let why):
            health.failed(at: finished, error: "unreadable answer: \(why)", reachable: true)
            Counter(label: "pillbox_upload_batches_total", dimensions: [("result", "unreadable")]).increment()
            logger.error("Central record's answer unreadable; will retry", metadata: ["error": "\(why)"])
            return .transient(retryAfter: nil)
        case .refused(let status, let retryAfter, let outcome):
            return await refused(batch, status: status, retryAfter: retryAfter, outcome: outcome, at: finished)
        case .answered(let outcomes):
            health.succeeded(at: finished)
            Counter(label: "pillbox_upload_batches_total", dimensions: [("result", "answered")]).increment()
            await record(batch, outcomes: outcomes, policy: policy, at: finished)
            return .answered
        }
    }

    private func refused(_ batch: [OutboxItem], status: Int, retryAfter: Double?, outcome: JSONValue?,
                         at date: Date) async -> UploadPolicy.Event {
        Counter(label: "pillbox_upload_batches_total", dimensions: [("result", "http_\(status)")]).increment()
        switch status {
        case 408, 429, 500...599:
            health.failed(at: date, error: "HTTP \(status)", reachable: true)
            logger.warning("Central record busy or failing; will retry",
                           metadata: ["http.status": "\(status)", "retry_after": "\(retryAfter.map { "\($0)" } ?? "-")"])
            return .transient(retryAfter: retryAfter)
        case 401, 403:
            health.failed(at: date, error: "HTTP \(status): the central record refused our credentials", reachable: true)
            logger.error("Central record refused our credentials; check the client certificate",
                         metadata: ["http.status": "\(status)"])
            return .transient(retryAfter: settings.backoffMaxSeconds)
        case 400, 413, 422:
            // The content was refused: isolate the entry at fault.
            health.succeeded(at: date)
            if batch.count > 1 {
                logger.warning("Central record refused a whole bundle; splitting it to isolate the cause",
                               metadata: ["http.status": "\(status)", "upload.entries": "\(batch.count)"])
                return .bundleRefused
            }
            let summary = Self.summary(status: status, outcome: outcome)
            await save([(batch[0].seq, .deadLetter(summary: summary, outcome: outcome))], at: date)
            Counter(label: "pillbox_upload_entries_total", dimensions: [("result", "dead_letter")]).increment()
            logger.error("Entry dead-lettered", metadata: ["outbox.seq": "\(batch[0].seq)", "reason": "\(summary)"])
            return .answered
        default:
            // 3xx, 404, 405, 415…: the request went to the wrong place, not a bad entry.
            health.failed(at: date, error: "HTTP \(status): the central record did not accept the request; check central.url",
                          reachable: true)
            logger.error("Central record answered an unexpected status; check central.url",
                         metadata: ["http.status": "\(status)"])
            return .transient(retryAfter: settings.backoffMaxSeconds)
        }
    }

    private func record(_ batch: [OutboxItem], outcomes: [EntryOutcome], policy: UploadPolicy, at date: Date) async {
        var results: [(seq: Int64, disposition: UploadDisposition)] = []
        var credentialsChecked: Bool?
        for (item, outcome) in zip(batch, outcomes) {
            let summary = Self.summary(status: outcome.status, outcome: outcome.outcome)
            switch UploadPolicy.classify(entryStatus: outcome.status) {
            case .accepted:
                results.append((item.seq, .sent))
            case .transient:
                let delay = policy.entryRetryDelay(attempts: item.attempts + 1, retryAfter: nil)
                results.append((item.seq, .retry(at: date.addingTimeInterval(delay), summary: summary)))
            case .needsCredentialCheck:
                if credentialsChecked == nil { credentialsChecked = await client.credentialsAccepted() }
                if credentialsChecked == true {
                    results.append((item.seq, .deadLetter(summary: summary, outcome: outcome.outcome)))
                } else {
                    let delay = policy.entryRetryDelay(attempts: item.attempts + 1, retryAfter: nil)
                    results.append((item.seq, .retry(at: date.addingTimeInterval(delay), summary: summary)))
                }
            case .permanent:
                results.append((item.seq, .deadLetter(summary: summary, outcome: outcome.outcome)))
            }
        }
        await save(results, at: date)
        var counts: [String: Int] = [:]
        for (_, disposition) in results {
            switch disposition {
            case .sent: counts["sent", default: 0] += 1
            case .retry: counts["retry", default: 0] += 1
            case .deadLetter: counts["dead_letter", default: 0] += 1
            }
        }
        for (result, count) in counts {
            Counter(label: "pillbox_upload_entries_total", dimensions: [("result", result)]).increment(by: count)
        }
        logger.info("Upload batch answered", metadata: [
            "upload.sent": "\(counts["sent"] ?? 0)", "upload.retry": "\(counts["retry"] ?? 0)",
            "upload.dead_letter": "\(counts["dead_letter"] ?? 0)",
        ])
    }

    private func save(_ results: [(seq: Int64, disposition: UploadDisposition)], at date: Date) async {
        do {
            try await store.recordUploadResults(results, now: date)
        } catch {
            // Not recorded: the entries stay pending and are resent; PUTs make that safe.
            logger.error("Cannot record upload results; entries will be resent", metadata: ["error": "\(error)"])
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
