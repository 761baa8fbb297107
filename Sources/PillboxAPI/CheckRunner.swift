import Foundation
import PillboxChecks
import PillboxModel
import PillboxStore

/// Gathers what the checks look at (the patient's local fills, the central profile, live or
/// cached) and runs them. Reads the fills the profile lists, but only the fields the checks
/// compare (`Store.checkFills`); records nothing.
struct CheckRunner {
    let dependencies: APIDependencies

    /// The longest days' supply a dispense may carry: older fills cannot overlap a new one.
    static let lookbackSeconds: Double = 366 * 86_400

    /// Runs the checks on `dispense`, leaving out `ownID` (the fill itself once recorded) and
    /// `corrects` (the dispense a correction corrects). `cacheOnly` (a write's findings) reads
    /// the central profile from the cache without asking the central record.
    func run(_ dispense: Dispense, ownID: String? = nil, corrects: String? = nil, cacheOnly: Bool = false,
             now: Date) async throws -> CheckOutcome {
        let settings = dependencies.checks
        let date = dispense.whenHandedOver.flatMap(Timestamps.parseRFC3339) ?? now
        let nam = dispense.patient.nam
        let listing = try await mapStoreError {
            try await dependencies.store.checkFills(nam: nam, since: date.addingTimeInterval(-Self.lookbackSeconds),
                                                    limit: settings.maxLocalFills)
        }
        let localIDs = Set(listing.fills.map(\.pharmacyDispenseId))
        let central = if cacheOnly {
            await dependencies.central.cachedProfile(nam: nam, localDispenseIDs: localIDs)
        } else {
            await dependencies.central.profile(nam: nam, localDispenseIDs: localIDs)
        }
        let knowledge = CentralKnowledge(configured: central.configured, answered: central.reachable, asOf: central.asOf,
                                         knownUnreachable: dependencies.central.status().reachable == false)
        return Checks.run(CheckInput(
            dispense: dispense, ownID: ownID, corrects: corrects, localFills: listing.fills.map(CheckFill.init(local:)),
            unreadableLocalFills: listing.unreadable,
            centralFills: central.dispenses.map(CheckFill.init(central:)),
            central: knowledge, settings: settings, now: now))
    }
}
