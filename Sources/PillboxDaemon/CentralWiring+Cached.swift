import Foundation
import PillboxAPI
import PillboxFHIR
import PillboxModel

extension CentralWiring: CachedCentralView {
    func cachedProfile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile {
        guard let profiles else { return CentralProfile(entries: [], configured: false, reachable: false, asOf: nil) }
        let result = await profiles.cachedProfile(nam: nam, localDispenseIDs: localDispenseIDs)
        let entries: [(at: Date, entry: JSONValue)] = result.dispenses.compactMap { dispense in
            guard let data = try? JSONEncoder().encode(dispense),
                  let json = try? JSONDecoder().decode(JSONValue.self, from: data) else { return nil }
            let at = dispense.whenHandedOver.flatMap(Timestamps.parseRFC3339)
                ?? dispense.lastUpdated.flatMap(Timestamps.parseRFC3339) ?? .distantPast
            return (at, json)
        }
        return CentralProfile(entries: entries, configured: true, reachable: false, asOf: result.asOf)
    }
}
