import Foundation
import Hummingbird
import PillboxModel
import PillboxStore
import PillboxWire
import Prometheus

/// Status, health, audit and metrics.
struct AdminRoutes {
    let dependencies: APIDependencies
    var store: Store { dependencies.store }

    func status(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let stats = try await mapStoreError { try await store.statistics() }
        let now = dependencies.now()
        let central = dependencies.central.status()
        return try JSONIO.response(StatusResponse(
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
            central: StatusResponse.Central(central),
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
        return try JSONIO.response(HealthResponse())
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
            .map(AuditPage.Entry.init)
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
        let lastSuccess = central.lastSuccessAt.flatMap(Timestamps.parseRFC3339)?.timeIntervalSince1970 ?? 0
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "pillbox", metricName: "central_last_success", unitName: "timestamp_seconds", helpText: "When the central record last answered (0: never)")).set(lastSuccess)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                        body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}
