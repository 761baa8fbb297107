import PillboxModel

/// The central record's answer to one request entry of a `batch` Bundle
/// (`Bundle.entry.response` of the `batch-response`).
package struct EntryOutcome: Sendable, Equatable {
    /// The HTTP status code, parsed from `response.status` (`"201 Created"` gives 201).
    package var status: Int
    /// `response.location`, e.g. `MedicationDispense/pbx-…/_history/2`.
    package var location: String?
    /// The `OperationOutcome` explaining the result, if the server gave one.
    package var outcome: JSONValue?

    /// An outcome with the given status, location and OperationOutcome.
    package init(status: Int, location: String? = nil, outcome: JSONValue? = nil) {
        self.status = status
        self.location = location
        self.outcome = outcome
    }

    /// True for a 2xx status: the resource was created or updated.
    package var isSuccess: Bool { (200...299).contains(status) }
}
