/// Status of a dispense version (a subset of FHIR `MedicationDispense.status`).
package enum DispenseStatus: String, Sendable, Codable, CaseIterable {
    case completed
    case cancelled
    case enteredInError = "entered-in-error"
}

/// Where the upload of a record version stands.
package enum SyncState: String, Sendable, Codable, CaseIterable {
    /// Waiting in the outbox.
    case pending
    /// Accepted by the central record.
    case sent
    /// Refused permanently by the central record (dead-lettered).
    case failed
}
