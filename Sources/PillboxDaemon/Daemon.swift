import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import PillboxAPI
import PillboxCrypto
import PillboxModel
import PillboxStore
import Prometheus
import ServiceLifecycle

/// The whole daemon, wired from one configuration value. `pillboxd` and the tests build it
/// the same way, so tests run the wiring production runs.
package struct Daemon: Sendable {
    package let configuration: DaemonConfiguration
    package let store: Store
    let services: [any Service]
    let lock: DataFolderLock
    let central: CentralWiring
    let logger: Logger

    /// The daemon's version.
    package static let version = "0.1.0"

    /// The HTTP/1.1 server; `pinned` runs each connection's task on its event loop
    /// (`EventLoopPinnedChannel`).
    static func server(_ configuration: HTTP1Channel.Configuration, pinned: Bool) -> HTTPServerBuilder {
        guard pinned else { return .http1(configuration: configuration) }
        return HTTPServerBuilder { responder in
            EventLoopPinnedChannel(base: HTTP1Channel(responder: responder, configuration: configuration))
        }
    }

    /// Opens the data folder and the store and builds every service. Throws a
    /// `DaemonError` (with its exit code) when the key, data folder or socket is unusable;
    /// nothing in the data folder is changed then.
    package static func build(configuration: DaemonConfiguration, environment: [String: String],
                             registry: PrometheusCollectorRegistry, logger: Logger) throws(DaemonError) -> Daemon {
        try prepareDataDir(configuration.dataDir)
        let resolvedKey = try MasterKeyResolver.resolve(configuration, environment: environment, logger: logger)
        let masterKey = resolvedKey.key
        let databasePath = (configuration.dataDir as NSString).appendingPathComponent("pillbox.sqlite")
        let store: Store
        // The lock comes first: the key check opens the database and may create and remove
        // -wal/-shm sidecars, which must never happen under a running daemon.
        let lock = try DataFolderLock(folder: configuration.dataDir)
        do {
            // A wrong key is refused before anything is written (abandon() removes a lock file made here).
            try checkKey(resolvedKey, databasePath: databasePath, dataDir: configuration.dataDir)
            // A new dev key is written only once checked: a refused start writes no key.
            try resolvedKey.persist()
            store = try StartTimeoutExtender.whileRunning(SystemdNotifier(environment: environment)) {
                try Store.open(path: databasePath, masterKey: masterKey, logger: logger,
                               healthProbeInterval: .nanoseconds(Int64(configuration.healthProbeSeconds * 1e9)))
            }
        } catch let error as DaemonError {
            lock.abandon()
            throw error
        } catch let error as StoreError {
            lock.abandon()
            throw DaemonError(error.code == .wrongKey ? .key : .io, error.message)
        } catch {
            lock.abandon()
            throw DaemonError(.io, "cannot open the data folder: \(error)")
        }
        try SocketPreparation.prepare(path: configuration.socketPath)

        let auditLog = AuditLog(store: store)
        let roles = try configuration.roleTable(daemonUID: getuid())
        var parser = DispenseParser()
        parser.limits = configuration.limits.validation
        let central = try CentralWiring.build(settings: configuration.upload, store: store, logger: logger)
        var dependencies = APIDependencies(store: store, auditLog: auditLog, roles: roles, limits: configuration.limits,
                                           parser: parser, registry: registry, version: version, central: central,
                                           checks: configuration.checks, pharmacy: configuration.upload.pharmacy)
        dependencies.backup = BackupWiring(settings: configuration.backup, masterKey: masterKey)
        dependencies.statusCache = StatusFactsCache(seconds: configuration.statusCacheSeconds)
        let notifier = SystemdNotifier(environment: environment)
        let socketPath = configuration.socketPath
        let socketMode = configuration.socketMode
        let limits = configuration.limits
        let connections = ConnectionRegistry(
            maxConnections: limits.maxConnections,
            maxOpenConnections: FileDescriptorBudget.fit(openConnections: limits.maxOpenConnections, logger: logger),
            maxConnectionsPerPeer: limits.maxConnectionsPerPeer, logger: logger)
        let requestTimeout = TimeAmount.nanoseconds(Int64(limits.requestTimeoutSeconds * 1e9))
        let idleTimeout = TimeAmount.nanoseconds(Int64(limits.idleTimeoutSeconds * 1e9))
        let responseTimeout = TimeAmount.nanoseconds(Int64(limits.responseTimeoutSeconds * 1e9))
        let app = Application(
            router: buildRouter(dependencies),
            server: Self.server(HTTP1Channel.Configuration(
                additionalChannelHandlers: [ConnectionLimitsHandler(
                    requestTimeout: requestTimeout, idleTimeout: idleTimeout, responseTimeout: responseTimeout,
                    registry: connections)],
                idleTimeout: nil,
                httpDecoderConfiguration: .init(maxHeaderFieldSize: limits.maxHeaderBytes,
                                                maxHeaderListSize: limits.maxHeaderBytes)),
                pinned: configuration.tasksOnEventLoops),
            // Every connection is accepted at once (no `availableConnectionsDelegate`): the
            // registry decides who makes room, so nothing waits in the listen backlog.
            configuration: .init(address: .unixDomainSocket(path: socketPath), serverName: "pillboxd",
                                 backlog: limits.listenBacklog),
            onServerRunning: { _ in
                if chmod(socketPath, mode_t(socketMode)) != 0 {
                    logger.critical("Cannot set the socket's mode; clients may be refused",
                                    metadata: ["socket": "\(socketPath)", "errno": "\(errno)"])
                }
                logger.notice("Pillbox ready", metadata: [
                    "socket": "\(socketPath)", "version": "\(version)", "key.id": "\(masterKey.keyID)",
                ])
                notifier.notify("READY=1")
            },
            logger: logger)

        var services: [any Service] = [AuditFlushService(auditLog: auditLog,
                                                          interval: .milliseconds(configuration.auditFlushMilliseconds),
                                                          logger: logger)]
        if let interval = SystemdNotifier.watchdogInterval(environment: environment) {
            services.append(WatchdogService(store: store, notifier: notifier, interval: interval,
                                            eventLoops: app.eventLoopGroup, logger: logger))
        }
        services += central.services
        services.append(KeyRotationService(store: store, settings: configuration.keys, logger: logger))
        // Shut down in reverse order: STOPPING=1 first, then the server, the uploader, the audit flush last.
        services.append(app)
        services.append(StoppingNotifierService(notifier: notifier))
        return Daemon(configuration: configuration, store: store, services: services, lock: lock,
                      central: central, logger: logger)
    }

    /// Runs until SIGTERM or SIGINT, then stops accepting, finishes in-flight requests,
    /// flushes the audit buffer and closes the store.
    package func run() async throws {
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        defer { lock.release() }
        do {
            try await group.run()
        } catch {
            await central.transport?.shutdown()
            try? store.close()
            throw error
        }
        await central.transport?.shutdown()
        try? store.close()
        logger.notice("Pillbox stopped")
    }

    /// Checks the master key against an existing database, with the data-folder lock held.
    static func checkKey(_ resolved: ResolvedMasterKey, databasePath: String, dataDir: String) throws(DaemonError) {
        guard FileManager.default.fileExists(atPath: databasePath) else { return }
        let refusal: StoreError
        do {
            try Store.checkKey(path: databasePath, masterKey: resolved.key)
            return
        } catch {
            refusal = error
        }
        if refusal.code == .wrongKey && resolved.pendingDevKeyPath != nil {
            throw DaemonError(.key, "the data folder \(dataDir) holds a database but no \(MasterKeyResolver.devKeyName); "
                + "restore that dev key file, or start with the key the data folder was created with")
        }
        throw DaemonError(refusal.code == .wrongKey ? .key : .io, refusal.message)
    }

    /// Makes sure the data folder exists (created 0700 when missing). A data folder without a
    /// database beside a folder that a `pillbox restore` left (`<folder>.replaced-…` or
    /// `.<folder>.restoring-…`, holding a database) is refused: a restore was interrupted, and
    /// starting would begin a new, empty store in its place.
    package static func prepareDataDir(_ path: String) throws(DaemonError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw DaemonError(.io, "data folder \(path) exists and is not a folder; choose another --data-dir")
            }
        }
        if let left = DataFolderRestore.interruptedRestore(of: path) {
            throw DaemonError(.io, "data folder \(path) holds no database, but \(left) does: a pillbox restore was "
                + "interrupted. Nothing was started or changed. Move the folder you want back to \(path) "
                + "(the restored copy, or the replaced one), or move \(left) elsewhere to start an empty store")
        }
        if isDirectory.boolValue { return }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw DaemonError(.io, "cannot create the data folder \(path): \(error.localizedDescription)")
        }
    }
}
