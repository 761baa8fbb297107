import PillboxModel

/// One page of a `searchset` Bundle from the central record.
public struct SearchPage: Sendable, Equatable {
    /// The `MedicationDispense` resources of the page, in Bundle order. Entries holding
    /// other resource types (an `OperationOutcome` with search mode `outcome`, included
    /// resources) are left out.
    public var resources: [JSONValue]
    /// The URL of the next page (`Bundle.link` with relation `next`), nil on the last page.
    public var next: String?

    /// A page with the given resources and next link.
    public init(resources: [JSONValue], next: String? = nil) {
        self.resources = resources
        self.next = next
    }
}
