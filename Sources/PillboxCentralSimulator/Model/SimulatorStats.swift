/// Exact counts of what the FHIR listener saw since start or the last reset.
///
/// Every PUT counts as one received entry and every batch entry as one; each received entry
/// ends as exactly one of created, updated, unchanged or rejected, so
/// `entriesReceived == entriesCreated + entriesUpdated + entriesUnchanged + entriesRejected`.
/// Requests answered by a fault (503, 429, flaky) receive no entries.
package struct SimulatorStats: Sendable, Codable, Equatable {
    /// HTTP requests that reached the FHIR listener's router (all routes, all outcomes), not
    /// counting those refused while `down`.
    package var requests: Int = 0
    /// Batch bundles processed.
    package var batches: Int = 0
    /// MedicationDispense entries received through PUT or batch.
    package var entriesReceived: Int = 0
    /// Entries that created a resource.
    package var entriesCreated: Int = 0
    /// Entries that changed a resource (new version).
    package var entriesUpdated: Int = 0
    /// Entries equal (ignoring `meta`) to the stored resource: version kept.
    package var entriesUnchanged: Int = 0
    /// Entries refused (invalid, wrong method or URL, or by the `reject` and `reject-all` modes).
    package var entriesRejected: Int = 0
    /// Reads of one resource by id (found or not).
    package var reads: Int = 0
    /// Searches answered.
    package var searches: Int = 0
    /// Distinct resources stored now.
    package var resources: Int = 0
    /// Requests answered by the fault mode (503, 429, flaky 503, forbidden 403) instead of served.
    package var faultResponses: Int = 0
    /// Batch bundles refused as a whole by `reject-bundles` (their entries are not received).
    package var refusedBundles: Int = 0
    /// Responses not written after a commit (`drop-after-commit`).
    package var droppedResponses: Int = 0
    /// Connections closed unanswered because the listener was `down`.
    package var refusedConnections: Int = 0
    /// Most requests counted in one 1-second window (tumbling windows from start).
    package var peakRequestsPerSecond: Int = 0

    /// All zeros.
    package init() {}
}
