import Foundation
import Logging
import PillboxAPI
import PillboxFHIR
import PillboxModel
import PillboxStore
import PillboxUpload
import ServiceLifecycle

/// The uploader, the profile fetcher and their shared state, seen by the API through
/// `CentralRecordView`.
struct CentralWiring: CentralRecordView {
    let health: CentralHealth
    let wakeup: Wakeup
    let newWork: Wakeup
    let profiles: CentralProfiles?
    let services: [any Service]
    /// Releases the HTTP client once the services have stopped.
    let transport: (any CentralTransport)?

    /// Local-only when no URL is configured; otherwise builds the mutual-TLS client.
    static func build(settings: UploadSettings, store: Store, logger: Logger) throws(DaemonError) -> CentralWiring {
        let health = CentralHealth(configured: settings.centralURL != nil)
        let wakeup = Wakeup()
        let newWork = Wakeup()
        guard settings.centralURL != nil else {
            return CentralWiring(health: health, wakeup: wakeup, newWork: newWork, profiles: nil, services: [], transport: nil)
        }
        let transport: HTTPCentralTransport
        do {
            transport = try HTTPCentralTransport(settings: settings)
        } catch {
            throw DaemonError(.configuration, "setting central.tls: \(error.message)")
        }
        let client = CentralClient(transport: transport, pharmacy: settings.pharmacy)
        let profiles = CentralProfiles(store: store, client: client, health: health,
                                       budgetMilliseconds: settings.profileBudgetMilliseconds, logger: logger)
        var services: [any Service] = [
            Uploader(store: store, client: client, health: health, wakeup: wakeup, newWork: newWork, settings: settings,
                     logger: logger),
        ]
        if settings.prefetch.recentDays > 0 {
            services.append(ProfilePrefetchService(store: store, profiles: profiles, health: health,
                                                   settings: settings.prefetch, logger: logger))
        }
        return CentralWiring(health: health, wakeup: wakeup, newWork: newWork, profiles: profiles, services: services,
                             transport: transport)
    }

    func status() -> CentralStatus {
        let snapshot = health.snapshot
        var status = CentralStatus(configured: snapshot.configured, reachable: snapshot.reachable,
                                   lastSuccessAt: snapshot.lastSuccessAt.map(Timestamps.format), lastError: snapshot.lastError,
                                   lastErrorAt: snapshot.lastFailureAt.map(Timestamps.format))
        status.problem = snapshot.condition
        status.problemSince = snapshot.conditionSince.map(Timestamps.format)
        status.heldEntries = snapshot.heldEntries > 0 ? snapshot.heldEntries : nil
        return status
    }

    func profile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile {
        guard let profiles else { return CentralProfile(entries: [], configured: false, reachable: false, asOf: nil) }
        let result = await profiles.profile(nam: nam, localDispenseIDs: localDispenseIDs)
        let encoder = JSONEncoder()
        let entries: [(at: Date, entry: JSONValue)] = result.dispenses.compactMap { dispense in
            guard let data = try? encoder.encode(dispense),
                  let json = try? JSONDecoder().decode(JSONValue.self, from: data) else { return nil }
            let at = dispense.whenHandedOver.flatMap(Timestamps.parseRFC3339)
                ?? dispense.lastUpdated.flatMap(Timestamps.parseRFC3339) ?? .distantPast
            return (at, json)
        }
        return CentralProfile(entries: entries, configured: true, reachable: result.reachable, asOf: result.asOf)
    }

    func requestSync() { wakeup.signal() }

    func notifyNewWork() { newWork.signal() }
}
