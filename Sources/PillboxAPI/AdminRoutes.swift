import Foundation
import Hummingbird
import PillboxModel
import PillboxStore
import Prometheus

/// Status, health, audit and metrics.
struct AdminRoutes {
    let dependencies: APIDependencies
    var store: Store { dependencies.store }

    struct Status: Encodable {
        var version: String
        var uptimeSeconds: Int
        var records: Int
        var pendingUploads: Int
        var oldestPendingAgeSeconds: Int?
        var deadLetters: Int
        /// Audit entries lost because writing them failed for long (see docs/audit.md); 0 normally.
        var auditEntriesDropped: Int
        var keyId: String
        var dataKeyId: String
        var databaseBytes: Int64
        /// `upload` when a central record is configured, else `local-only`.
        var mode: String
        var central: CentralStatusBody
        /// The storage's state: `ok`, `disk-full`, `unavailable` or `failed`, with its cause.
        var storage: StorageReport
    }

    func status(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let stats = try await mapStoreError { try await store.statistics() }
        let now = dependencies.now()
        let central = dependencies.central.status()
        return try JSONIO.response(Status(
            version: dependencies.version,
            uptimeSeconds: Int(now.timeIntervalSince(dependencies.startedAt)),
            records: stats.recordCount,
            pendingUploads: stats.pendingCount,
            oldestPendingAgeSeconds: stats.oldestPendingAt.map { max(0, Int(now.timeIntervalSince($0))) },
            deadLetters: stats.failedCount,
            auditEntriesDropped: dependencies.auditLog.droppedCount,
            keyId: store.masterKeyID,
            dataKeyId: store.dataKeyID,
            databaseBytes: stats.databaseBytes,
            mode: central.configured ? "upload" : "local-only",
            central: CentralStatusBody(central),
            storage: store.storageReport()))
    }

    /// 200 while the store commits; 503 naming the cause otherwise. Answered from the outcome
    /// of recent commits, with at most one probe commit per `healthProbeSeconds`
    /// (docs/storage.md, "Storage health"), so callers cannot make the daemon fsync in a loop.
    /// A read transaction (no write, no fsync) also runs on each call, so a store that no
    /// longer answers (closed, unreadable file) shows at once.
    func health(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let report = await store.checkHealth()
        guard report.isWritable else { throw Problem.storage(report) }
        guard await store.answersReads() else {
            throw Problem(.serviceUnavailable, type: "store-unavailable", title: "Store not readable",
                          detail: "the local store does not answer reads; check the daemon log")
        }
        return try JSONIO.response(["status": "ok"])
    }

    struct AuditPage: Encodable {
        var entries: [AuditEntry]
        var chain: Chain?

        struct Chain: Encodable {
            var intact: Bool
            var entries: Int
            var firstBrokenSeq: Int64?
        }
    }

    func audit(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let since = try query["since"].map { try QueryRoutes.bound(String($0), field: "since", endOfDay: false) }
        let limit = try QueryRoutes(dependencies: dependencies).pageSize(request, default: 500)
        // Entries of requests that wrote nothing wait in memory briefly; include them.
        try await mapStoreError { try await dependencies.auditLog.flush() }
        var after: Int64 = 0
        if let text = query["after"] {
            guard let value = Int64(String(text)), value >= 0 else { throw Problem.badQuery("after", "must be a sequence number") }
            after = value
        }
        let entries = try await mapStoreError { try await store.auditEntries(since: since, after: after, limit: limit) }
        var chain: AuditPage.Chain?
        let verify = query["verify"].map(String.init)
        guard verify == nil || verify == "true" || verify == "false" else {
            throw Problem.badQuery("verify", "must be true or false")
        }
        if verify == "true" {
            let verification = try await mapStoreError { try await store.verifyAuditChain() }
            chain = .init(intact: verification.isIntact, entries: verification.entries,
                          firstBrokenSeq: verification.firstBrokenSeq)
        }
        return try JSONIO.response(AuditPage(entries: entries, chain: chain))
    }

    func metrics(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let stats = try await mapStoreError { try await store.statistics() }
        let registry = dependencies.registry
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "pillbox", metricName: "records", unitName: "", helpText: "Dispenses recorded")).set(Double(stats.recordCount))
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "pillbox", metricName: "outbox_pending", unitName: "", helpText: "Versions waiting for upload")).set(Double(stats.pendingCount))
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "pillbox", metricName: "outbox_failed", unitName: "", helpText: "Versions refused by the central record")).set(Double(stats.failedCount))
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "pillbox", metricName: "database", unitName: "bytes", helpText: "Bytes on disk of the store")).set(Double(stats.databaseBytes))
        let oldest = stats.oldestPendingAt.map { max(0, dependencies.now().timeIntervalSince($0)) } ?? 0
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "pillbox", metricName: "outbox_oldest_pending_age", unitName: "seconds", helpText: "Age of the oldest version waiting for upload")).set(oldest)
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "pillbox", metricName: "audit_dropped", unitName: "", helpText: "Audit entries lost because writing them failed")).set(Double(dependencies.auditLog.droppedCount))
        let central = dependencies.central.status()
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "pillbox", metricName: "central_configured", unitName: "", helpText: "1 when a central record is configured")).set(Double(central.configured ? 1 : 0))
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "pillbox", metricName: "central_reachable", unitName: "", helpText: "1 when the last central exchange succeeded")).set(Double(central.reachable == true ? 1 : 0))
        let lastSuccess = central.lastSuccessAt?.timeIntervalSince1970 ?? 0
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "pillbox", metricName: "central_last_success", unitName: "timestamp_seconds", helpText: "When the central record last answered (0: never)")).set(lastSuccess)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                        body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}

/// The outbox: listing, requeueing dead letters, asking for an immediate upload.
struct OutboxRoutes {
    let dependencies: APIDependencies
    var store: Store { dependencies.store }

    struct OutboxPage: Encodable {
        var entries: [OutboxEntry]
    }

    func list(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        var state: SyncState?
        if let text = request.uri.queryParameters["state"] {
            guard let parsed = SyncState(rawValue: String(text)) else {
                throw Problem.badQuery("state", "must be pending, sent or failed")
            }
            state = parsed
        }
        let limit = try QueryRoutes(dependencies: dependencies).pageSize(request, default: 100)
        let entries = try await mapStoreError { try await store.outboxEntries(state: state, limit: limit) }
        return try JSONIO.response(OutboxPage(entries: entries))
    }

    func retry(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        guard let seq = Int64(try context.parameters.require("seq")) else {
            throw Problem.badQuery("seq", "must be an outbox sequence number")
        }
        switch try await mapStoreError({ try await store.requeue(seq: seq, now: dependencies.now()) }) {
        case .requeued:
            break
        case .notDeadLettered:
            throw Problem(.conflict, type: "not-dead-lettered", title: "Nothing to retry",
                          detail: "this outbox entry does not exist or is not dead-lettered (state failed)")
        case .superseded:
            throw Problem(.conflict, type: "superseded", title: "Superseded",
                          detail: "a newer version of this dispense was sent or is queued; resending this entry would roll the central record back")
        }
        dependencies.central.requestSync()
        return try JSONIO.response(["seq": seq])
    }

    func sync(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        guard dependencies.central.status().configured else {
            throw Problem(.conflict, type: "local-only", title: "No central record configured",
                          detail: "this Pillbox runs in local-only mode; set central.url to upload")
        }
        dependencies.central.requestSync()
        return try JSONIO.response(["status": "requested"], status: .accepted)
    }
}
