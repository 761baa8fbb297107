import Logging
import PillboxAPI
import PillboxModel
import PillboxStore
import PillboxUpload
import ServiceLifecycle

/// The uploader, the profile fetcher and their shared state, seen by the API through
/// `CentralRecordView`.
struct CentralWiring: CentralRecordView {
    let health: CentralHealth
    let wakeup: Wakeup
    let fetcher: CentralProfileFetcher?
    let services: [any Service]
    /// Releases the HTTP client once the services have stopped.
    let transport: (any CentralTransport)?

    /// Local-only when no URL is configured; otherwise builds the mutual-TLS client.
    static func build(settings: UploadSettings, store: Store, logger: Logger) throws(DaemonError) -> CentralWiring {
        let health = CentralHealth(configured: settings.centralURL != nil)
        let wakeup = Wakeup()
        guard settings.centralURL != nil else {
            return CentralWiring(health: health, wakeup: wakeup, fetcher: nil, services: [], transport: nil)
        }
        let transport: HTTPCentralTransport
        do {
            transport = try HTTPCentralTransport(settings: settings)
        } catch {
            throw DaemonError(.configuration, "setting central.tls: \(error.message)")
        }
        let client = CentralClient(transport: transport, pharmacy: settings.pharmacy)
        let fetcher = CentralProfileFetcher(store: store, client: client, health: health,
                                            budgetMilliseconds: settings.profileBudgetMilliseconds, logger: logger)
        var services: [any Service] = [
            Uploader(store: store, client: client, health: health, wakeup: wakeup, settings: settings, logger: logger),
        ]
        if settings.prefetch.recentDays > 0 {
            services.append(ProfilePrefetchService(store: store, fetcher: fetcher, health: health,
                                                   settings: settings.prefetch, logger: logger))
        }
        return CentralWiring(health: health, wakeup: wakeup, fetcher: fetcher, services: services,
                             transport: transport)
    }

    func status() -> CentralStatus { health.snapshot }

    func profile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile {
        guard let fetcher else { return .localOnly }
        return await fetcher.profile(nam: nam, localDispenseIDs: localDispenseIDs)
    }

    func cachedProfile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile {
        guard let fetcher else { return .localOnly }
        return await fetcher.cachedProfile(nam: nam, localDispenseIDs: localDispenseIDs)
    }

    func profileFragments(nam: String, localDispenseIDs: Set<String>) async -> CentralProfileFragments {
        guard let fetcher else { return .localOnly }
        return await fetcher.profileFragments(nam: nam, localDispenseIDs: localDispenseIDs)
    }

    func requestSync() { wakeup.signal() }
}
