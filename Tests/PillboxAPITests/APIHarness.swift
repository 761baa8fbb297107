import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PillboxAPI
import PillboxCrypto
import PillboxModel
import PillboxStore
import PillboxTestSupport
import Prometheus
import Synchronization

/// The local API in-process on a temporary store, with a caller identity the test sets.
final class APIHarness: Sendable {
    let directory: TemporaryDirectory
    let store: Store
    let dependencies: APIDependencies
    let caller: CallerBox

    static let root = PeerCredentials(pid: 100, uid: 0, gid: 0)
    static let dispenser = PeerCredentials(pid: 200, uid: 1001, gid: 1001)
    static let reader = PeerCredentials(pid: 300, uid: 1002, gid: 1002)
    static let stranger = PeerCredentials(pid: 400, uid: 4242, gid: 4242)

    init(limits: APILimits = APILimits(), now: @escaping @Sendable () -> Date = { Date() },
         central: any CentralRecordView = LocalOnlyCentral(), statusCache: StatusFactsCache? = nil,
         rateLimiter: RequestRateLimiter? = nil) throws {
        directory = try TemporaryDirectory()
        let masterKey = SecretKey.random()
        store = try Store.open(path: directory.file("pillbox.sqlite"), masterKey: masterKey, logger: Logger(label: "test"))
        let caller = CallerBox(Self.root)
        self.caller = caller
        var dependencies = APIDependencies(
            store: store, auditLog: AuditLog(store: store),
            roles: RoleTable(users: [0: .admin, 1001: .dispense, 1002: .read]),
            limits: limits, registry: PrometheusCollectorRegistry(), version: "test", now: now, central: central,
            peerCredentials: { _ in caller.value.withLock { $0 } })
        // Backups (POST /v1/backups): allowed under /tmp, verified with this store's master key.
        var backup = BackupSettings()
        backup.folders = ["/tmp"]
        dependencies.backup = BackupWiring(settings: backup, masterKey: masterKey)
        if let statusCache { dependencies.statusCache = statusCache }
        if let rateLimiter { dependencies.rateLimiter = rateLimiter }
        self.dependencies = dependencies
    }

    deinit {
        try? store.close()
        directory.remove()
    }

    func `as`(_ peer: PeerCredentials?) { caller.value.withLock { $0 = peer } }

    /// Runs `body` against the router.
    func test<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let app = Application(router: buildRouter(dependencies))
        return try await app.test(.router) { client in try await body(client) }
    }
}

extension TestResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
}

extension TestClientProtocol {
    func post(_ uri: String, _ object: [String: Any]) async throws -> TestResponse {
        try await execute(uri: uri, method: .post, headers: [.contentType: "application/json"],
                          body: ByteBuffer(bytes: Samples.json(object)))
    }

    func get(_ uri: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .get)
    }
}

/// The identity the in-process API sees as its caller.
final class CallerBox: Sendable {
    let value: Mutex<PeerCredentials?>
    init(_ peer: PeerCredentials?) { value = Mutex(peer) }
}
