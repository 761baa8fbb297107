import Foundation
import PillboxFHIR
import PillboxStore

extension CentralProfiles {
    /// The cached profile alone, without asking the central record (`reachable` false;
    /// `asOf` nil when never fetched or unreadable).
    public func cachedProfile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfileResult {
        let cached = try? await store.cachedCentralProfile(nam: nam)
        let dispenses = cached.flatMap { try? JSONDecoder().decode([CentralDispense].self, from: $0.payload) } ?? []
        return CentralProfileResult(dispenses: excludingOwn(dispenses, localDispenseIDs), reachable: false,
                                    asOf: cached?.fetchedAt)
    }
}
