import Foundation
import Logging
import PillboxStore
import ServiceLifecycle

/// Keeps the central profiles of recent patients fresh in the background, politely: at most
/// `requestsPerMinute` fetches, and none while the central record reports errors.
package struct ProfilePrefetchService: Service {
    let store: Store
    let fetcher: CentralProfileFetcher
    let health: CentralHealth
    let settings: UploadSettings.PrefetchSettings
    let logger: Logger
    let now: @Sendable () -> Date

    package init(store: Store, fetcher: CentralProfileFetcher, health: CentralHealth, settings: UploadSettings.PrefetchSettings,
                logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.fetcher = fetcher
        self.health = health
        self.settings = settings
        self.logger = logger
        self.now = now
    }

    package func run() async throws {
        guard settings.recentDays > 0 else {
            // Disabled: stay until shutdown, since a service that returns stops the daemon.
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.pass()
                try? await Task.sleep(for: .seconds(60))
            }
        }
    }

    /// One pass over the recent patients whose cache is missing or too old.
    func pass() async {
        let start = now()
        let pause = Duration.milliseconds(60_000 / max(1, settings.requestsPerMinute))
        let patients: [(nam: String, fetchedAt: Date?)]
        do {
            patients = try await store.recentPatients(since: start.addingTimeInterval(-Double(settings.recentDays) * 86_400),
                                                      limit: 10_000)
        } catch {
            logger.warning("Prefetch could not list recent patients; trying again next pass", metadata: Self.metadata(error))
            return
        }
        let maxAge = Double(settings.refreshAgeMinutes) * 60
        var refreshed = 0
        for patient in patients where patient.fetchedAt.map({ start.timeIntervalSince($0) > maxAge }) ?? true {
            if Task.isCancelled || health.isStruggling(now: now(), within: 60) { break }
            do {
                try await fetcher.refresh(nam: patient.nam)
                refreshed += 1
            } catch {
                // The central record is failing (or the cache write failed): stop this pass, try again later.
                logger.warning("Prefetch stopped: refreshing a central profile failed; trying again next pass",
                               metadata: Self.metadata(error).merging(["prefetch.refreshed": "\(refreshed)"]) { $1 })
                break
            }
            try? await Task.sleep(for: pause)
        }
        if refreshed > 0 {
            logger.info("Central profiles refreshed", metadata: ["prefetch.patients": "\(refreshed)"])
        }
    }

    /// What may be logged of an error: its type, and the message of the errors whose messages
    /// are written to carry no patient data (store and transport errors); never a NAM.
    static func metadata(_ error: any Error) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["error.type": .string(String(describing: type(of: error)))]
        if let error = error as? StoreError {
            metadata["error.code"] = .string(error.code.rawValue)
            metadata["error.detail"] = .string(error.message)
        } else if let error = error as? TransportError {
            metadata["error.detail"] = .string(error.message)
        }
        return metadata
    }
}
