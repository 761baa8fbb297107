import PillboxModel

/// One page of a `searchset` Bundle from the central record.
package struct SearchPage: Sendable, Equatable {
    /// The `MedicationDispense` resources of the page, in Bundle order. Entries holding
    /// other resource types (an `OperationOutcome` with search mode `outcome`, included
    /// resources) are left out.
    package var resources: [JSONValue]
    /// The URL of the next page (`Bundle.link` with relation `next`), nil on the last page.
    package var next: String?

    /// A page with the given resources and next link.
    package init(resources: [JSONValue], next: String? = nil) {
        self.resources = resources
        self.next = next
    }
}
