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
        let facts = try await dependencies.statusCache.facts {
            let health = try await mapStoreError { try await store.healthFacts() }
            let backup = try await mapStoreError { try await BackupAge.status(store: store, settings: dependencies.backup.settings, now: now) }
            return StatusFactsCache.Facts(health: health, disk: store.diskSpace(), lastBackup: backup.last, backupOverdue: backup.overdue)
        }
        var status = StatusResponse(
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
            storage: store.storageReport(), lastBackupAt: facts.lastBackup?.at, lastBackupPath: facts.lastBackup?.path,
            lastBackupRecords: facts.lastBackup?.records, backupOverdue: facts.backupOverdue)
        status.addHealthFacts(facts.health, disk: facts.disk)
        let limited = dependencies.rateLimiter.facts
        if let uid = limited.lastUid, let at = limited.lastAt {
            status.rateLimited = StatusResponse.RateLimited(refused: limited.refused, lastUid: uid, lastAt: Timestamps.format(at))
        }
        return try JSONIO.response(status)
    }

    /// 200 while the store commits; 503 naming the cause otherwise. Answered from the outcome
    /// of recent commits, with at most one probe commit per `healthProbeSeconds`
    /// (docs/storage.md, "Storage health"), so callers cannot make the daemon fsync in a loop.
    /// A read transaction (no write, no fsync) also runs on each call, so a store that no
    /// longer answers (closed, unreadable file) shows at once.
    func health(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let report = await store.checkHealth()
        guard report.isWritable else { throw Problem.storage(report) }
        guard store.answersShortReads() else {
            throw Problem.storeNotReadable
        }
        return try JSONIO.response(HealthResponse())
    }

    func audit(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let since = try request.periodBound("since", endOfDay: false)
        let limit = try request.pageSize(default: 500, limits: dependencies.limits)
        // Entries of requests that wrote nothing wait in memory briefly; include them (unless the disk is full).
        let queued = try await dependencies.auditLog.flushBeforeRead()
        var after: Int64 = 0
        if let text = query["after"] {
            guard let value = Int64(String(text)), value >= 0 else { throw Problem.badQuery("after", Phrase("must be a sequence number", fr: "doit être un numéro de séquence")) }
            after = value
        }
        let entries = try await mapStoreError { try await store.auditEntries(since: since, after: after, limit: limit) }
        var chain: AuditPage.Chain?
        let verify = query["verify"].map(String.init)
        guard verify == nil || verify == "true" || verify == "false" else {
            throw Problem.badQuery("verify", Phrase("must be true or false", fr: "doit être true ou false"))
        }
        if verify == "true" {
            let verification = try await mapStoreError { try await store.verifyAuditChain() }
            chain = .init(intact: verification.isIntact, entries: verification.entries,
                          firstBrokenSeq: verification.firstBrokenSeq)
        }
        return try JSONIO.response(AuditPage(entries: entries, chain: chain, queuedEntries: queued))
    }

    func metrics(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let stats = try await mapStoreError { try await store.statistics() }
        let registry = dependencies.registry
        func gauge(_ name: String, unit: String = "", _ help: String, _ value: Double) {
            registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "pillbox", metricName: name, unitName: unit, helpText: help))
                .set(value)
        }
        gauge("records", "Dispenses recorded", Double(stats.recordCount))
        gauge("outbox_pending", "Versions waiting for upload", Double(stats.pendingCount))
        gauge("outbox_failed", "Versions refused by the central record", Double(stats.failedCount))
        gauge("database", unit: "bytes", "Bytes on disk of the store", Double(stats.databaseBytes))
        let oldest = stats.oldestPendingAt.map { max(0, dependencies.now().timeIntervalSince($0)) } ?? 0
        gauge("outbox_oldest_pending_age", unit: "seconds", "Age of the oldest version waiting for upload", oldest)
        gauge("audit_dropped", "Audit entries lost because writing them failed", Double(dependencies.auditLog.droppedCount))
        gauge("requests_rate_limited", "Requests refused since start because their caller was over its rate limit",
              Double(dependencies.rateLimiter.facts.refused))
        let central = dependencies.central.status()
        gauge("central_configured", "1 when a central record is configured", Double(central.configured ? 1 : 0))
        gauge("central_reachable", "1 when the last central exchange succeeded", Double(central.reachable == true ? 1 : 0))
        let lastSuccess = central.lastSuccessAt?.timeIntervalSince1970 ?? 0
        gauge("central_last_success", unit: "timestamp_seconds", "When the central record last answered (0: never)", lastSuccess)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                        body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}
