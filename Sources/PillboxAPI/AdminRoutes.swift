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
        var failedUploads: Int
        var keyId: String
        var dataKeyId: String
        var databaseBytes: Int64
        var central: Central

        struct Central: Encodable {
            var configured: Bool
            var mode: String
        }
    }

    func status(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let stats = try await mapStoreError { try await store.statistics() }
        let now = dependencies.now()
        return try JSONIO.response(Status(
            version: dependencies.version,
            uptimeSeconds: Int(now.timeIntervalSince(dependencies.startedAt)),
            records: stats.recordCount,
            pendingUploads: stats.pendingCount,
            oldestPendingAgeSeconds: stats.oldestPendingAt.map { max(0, Int(now.timeIntervalSince($0))) },
            failedUploads: stats.failedCount,
            keyId: store.masterKeyID,
            dataKeyId: store.dataKeyID,
            databaseBytes: stats.databaseBytes,
            central: .init(configured: false, mode: "local-only")))
    }

    func health(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        if await store.isWritable() {
            return try JSONIO.response(["status": "ok"])
        }
        throw Problem(.serviceUnavailable, type: "store-unavailable", title: "Store not writable",
                      detail: "the local store cannot commit writes; check disk space and the daemon log")
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
        let entries = try await mapStoreError { try await store.auditEntries(since: since, limit: limit) }
        var chain: AuditPage.Chain?
        if query["verify"] == "true" {
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
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                        body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}
