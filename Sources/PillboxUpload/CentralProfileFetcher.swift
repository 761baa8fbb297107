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
        let dispenses = cached.flatMap { CentralCacheFormat.dispenses(from: $0.payload) } ?? []
        return CentralProfile(dispenses: excludingOwn(dispenses, localDispenseIDs), reachable: false,
                              asOf: cached?.fetchedAt)
    }

    /// `profile(nam:localDispenseIDs:)` as ready answer fragments: from the cache, each entry's
    /// bytes as they were encoded when fetched; fresh, each entry encoded once.
    package func profileFragments(nam: String, localDispenseIDs: Set<String>) async -> CentralProfileFragments {
        var fresh: (dispenses: [CentralDispense], fragments: [CentralFragment], fetchedAt: Date)?
        if !health.isStruggling(now: now(), within: 30) {
            fresh = await withBudget { try await self.fetchAndCache(nam: nam) }
        }
        if let fresh {
            return CentralProfileFragments(fragments: excludingOwn(fresh.fragments, localDispenseIDs), reachable: true,
                                           asOf: fresh.fetchedAt)
        }
        return await cachedFragments(nam: nam, localDispenseIDs: localDispenseIDs)
    }

    /// The cached profile as fragments (`reachable` false). A cache in the format of earlier
    /// daemons (a JSON array of dispenses) is read, and rewritten once in the current format
    /// unless a fresher fetch replaced it meanwhile.
    package func cachedFragments(nam: String, localDispenseIDs: Set<String>) async -> CentralProfileFragments {
        let cached = try? await store.cachedCentralProfile(nam: nam)
        let fragments = cached.flatMap { CentralCacheFormat.fragments(from: $0.payload) } ?? []
        if let cached, !CentralCacheFormat.isCurrent(cached.payload), !fragments.isEmpty {
            do {
                try await store.upgradeCentralProfile(nam: nam, payload: CentralCacheFormat.payload(fragments), ifFetchedAt: cached.fetchedAt)
            } catch {
                logger.warning("Cached central profile not rewritten in the current format", metadata: [
                    "error.code": .string((error as? StoreError)?.code.rawValue ?? "unknown"),
                ])
            }
        }
        return CentralProfileFragments(fragments: excludingOwn(fragments, localDispenseIDs), reachable: false,
                                       asOf: cached?.fetchedAt)
    }

    /// Fetches and caches one patient's central profile; throws when the central record
    /// does not answer.
    @discardableResult
    package func refresh(nam: String) async throws -> (dispenses: [CentralDispense], fetchedAt: Date) {
        let fetched = try await fetchAndCache(nam: nam)
        return (fetched.dispenses, fetched.fetchedAt)
    }

    /// Fetches one patient's central profile, encodes each entry once and caches the fragments.
    func fetchAndCache(nam: String) async throws -> (dispenses: [CentralDispense], fragments: [CentralFragment], fetchedAt: Date) {
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
        let fragments = try dispenses.map { try CentralFragment($0) }
        try await store.cacheCentralProfile(nam: nam, payload: CentralCacheFormat.payload(fragments), fetchedAt: fetchedAt)
        return (dispenses, fragments, fetchedAt)
    }

    /// Drops central entries that are this pharmacy's own uploads of records held locally,
    /// and entries entered in error (they never happened; the local profile leaves them out too).
    func excludingOwn(_ dispenses: [CentralDispense], _ localIDs: Set<String>) -> [CentralDispense] {
        dispenses.filter { dispense in
            dispense.status != "entered-in-error"
                && !(dispense.identifierSystem == client.pharmacy.system && dispense.identifierValue.map(localIDs.contains) == true)
        }
    }

    /// `excludingOwn(_:_:)` for fragments.
    func excludingOwn(_ fragments: [CentralFragment], _ localIDs: Set<String>) -> [CentralFragment] {
        fragments.filter { fragment in
            fragment.status != "entered-in-error"
                && !(fragment.identifierSystem == client.pharmacy.system && fragment.identifierValue.map(localIDs.contains) == true)
        }
    }
}
