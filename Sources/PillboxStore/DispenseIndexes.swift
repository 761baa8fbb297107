import Foundation
import GRDB
import PillboxModel

/// A dispense row's clear look-up columns: the blind indexes of its patient, DIN and lot, and
/// when it was handed over. One computation for a new dispense (`PreparedIntake`) and for a
/// correction or cancellation (`Store.change`).
struct DispenseIndexes: Sendable {
    let patientIndex: Data
    let dinIndex: Data?
    let lotIndex: Data?
    /// The dispense's `whenHandedOver`, or `now` without one (seconds since 1970).
    let dispensedAt: Double

    init(_ dispense: Dispense, keys: StoreKeys, now: Date) {
        patientIndex = keys.blindIndex("nam", dispense.patient.nam)
        dinIndex = dispense.medication.din.map { keys.blindIndex("din", $0) }
        lotIndex = dispense.lot.map(keys.lotIndex)
        dispensedAt = (dispense.whenHandedOver.flatMap(Timestamps.parseRFC3339) ?? now).timeIntervalSince1970
    }

    /// patient_index, din_index, lot_index, dispensed_at, in that order.
    var arguments: StatementArguments { [patientIndex, dinIndex, lotIndex, dispensedAt] }
}
