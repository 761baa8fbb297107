import Foundation
import NIOCore
import PillboxChecks
import PillboxFHIR
import PillboxModel
import PillboxStore
import Prometheus

/// Everything the local API needs, built once by the daemon's composition root (or a test).
package struct APIDependencies: Sendable {
    package var store: Store
    package var auditLog: AuditLog
    package var roles: RoleTable
    package var limits: APILimits
    package var parser: DispenseParser
    /// Where `/metrics` reads from; the daemon bootstraps swift-metrics onto the same registry.
    package var registry: PrometheusCollectorRegistry
    /// The daemon's version string, for `/v1/status`.
    package var version: String
    package var startedAt: Date
    /// The current time (injected so tests control it).
    package var now: @Sendable () -> Date
    /// Finds who is calling on a connection. Production reads `SO_PEERCRED`; in-process
    /// tests, which have no socket, pass a fixed identity.
    package var peerCredentials: @Sendable ((any Channel)?) async -> PeerCredentials?
    /// The central record (uploader, cached profiles), or `LocalOnlyCentral`.
    package var central: any CentralRecordView
    /// Thresholds of the dispensing checks (`POST /v1/checks`, and the findings of a write).
    package var checks: CheckSettings
    /// Backups: the age rule of `/v1/status`, and the master key that verifies each backup
    /// (nil: `POST /v1/backups` answers 503). Set by the daemon after `init`.
    package var backup = BackupWiring()
    /// The pharmacy's identity (`central.pharmacySystem`, `central.pharmacyId`): the ids of an
    /// export's resources are derived from it as for upload.
    package var pharmacy: PharmacyIdentity
    /// The status facts read from disk, kept `statusCacheSeconds` (the daemon sets it from
    /// the configuration; in-process tests get the production default).
    package var statusCache = StatusFactsCache(seconds: StatusFactsCache.defaultSeconds)
    /// Each caller's request budget (`limits.requestsPerSecondPerUid`); tests give it a clock.
    package var rateLimiter = RequestRateLimiter()

    package init(store: Store, auditLog: AuditLog, roles: RoleTable, limits: APILimits = APILimits(),
                parser: DispenseParser = DispenseParser(), registry: PrometheusCollectorRegistry,
                version: String, startedAt: Date = Date(), now: @escaping @Sendable () -> Date = { Date() },
                central: any CentralRecordView = LocalOnlyCentral(), checks: CheckSettings = CheckSettings(),
                pharmacy: PharmacyIdentity = PharmacyIdentity(system: "urn:pillbox:unconfigured-pharmacy", pharmacyID: "unconfigured"),
                peerCredentials: @escaping @Sendable ((any Channel)?) async -> PeerCredentials? = { channel in
                    guard let channel else { return nil }
                    return await PeerCredentials.read(from: channel)
                }) {
        self.store = store
        self.auditLog = auditLog
        self.roles = roles
        self.limits = limits
        self.parser = parser
        self.registry = registry
        self.version = version
        self.startedAt = startedAt
        self.now = now
        self.peerCredentials = peerCredentials
        self.central = central
        self.checks = checks
        self.pharmacy = pharmacy
    }
}
