import Foundation
import Logging
import PillboxFHIR
import PillboxModel
import PillboxStore

/// Fetches patients' central profiles within a time budget, keeping each one sealed in the
/// store so that it is at hand while the central record is down.
package struct CentralProfileFetcher: Sendable {
    let store: Store
    let client: CentralClient
    let health: CentralHealth
    let budget: Duration
    let logger: Logger
    let now: @Sendable () -> Date

    package init(store: Store, client: CentralClient, health: CentralHealth, budgetMilliseconds: Int, logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.client = client
        self.health = health
        self.budget = .milliseconds(budgetMilliseconds)
        self.logger = logger
        self.now = now
    }

    /// The profile: fresh when the central record answers within the budget, else the cached
    /// one. Never waits longer than the budget; does not even try while the central record
    /// is failing (the cache answers at once).
    package func profile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile {
        var fresh: (dispenses: [CentralDispense], fetchedAt: Date)?
        if !health.isStruggling(now: now(), within: 30) {
            fresh = await withBudget { try await self.refresh(nam: nam) }
        }
        if let fresh {
            return CentralProfile(dispenses: excludingOwn(fresh.dispenses, localDispenseIDs), reachable: true,
                                  asOf: fresh.fetchedAt)
        }
        return await cachedProfile(nam: nam, localDispenseIDs: localDispenseIDs)
    }

    /// The cached profile alone, without asking the central record (`reachable` false;
    /// `asOf` nil when never fetched or unreadable).
    package func cachedProfile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile {
        let cached = try? await store.cachedCentralProfile(nam: nam)
        let dispenses = cached.flatMap { try? JSONCoding.decoder.decode([CentralDispense].self, from: $0.payload) } ?? []
        return CentralProfile(dispenses: excludingOwn(dispenses, localDispenseIDs), reachable: false,
                              asOf: cached?.fetchedAt)
    }

    /// Fetches and caches one patient's central profile; throws when the central record
    /// does not answer.
    @discardableResult
    package func refresh(nam: String) async throws -> (dispenses: [CentralDispense], fetchedAt: Date) {
        let dispenses: [CentralDispense]
        do {
            dispenses = try await client.dispenses(nam: nam)
        } catch {
            // Running out of budget cancels the fetch: `withBudget` records that failure.
            if !Task.isCancelled {
                health.failed(at: now(), error: "profile fetch: \((error as? TransportError)?.message ?? "failed")", reachable: false)
            }
            throw error
        }
        let fetchedAt = now()
        health.succeeded(at: fetchedAt)
        try await store.cacheCentralProfile(nam: nam, payload: try JSONCoding.encoder.encode(dispenses), fetchedAt: fetchedAt)
        return (dispenses, fetchedAt)
    }

    /// Drops central entries that are this pharmacy's own uploads of records held locally,
    /// and entries entered in error (they never happened; the local profile leaves them out too).
    func excludingOwn(_ dispenses: [CentralDispense], _ localIDs: Set<String>) -> [CentralDispense] {
        dispenses.filter { dispense in
            dispense.status != "entered-in-error"
                && !(dispense.identifierSystem == client.pharmacy.system && dispense.identifierValue.map(localIDs.contains) == true)
        }
    }
}
