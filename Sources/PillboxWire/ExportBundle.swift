import PillboxModel

/// `GET /v1/patients/{nam}/export`: a patient's whole local record as a FHIR R4 `Bundle` of
/// type `collection` (`application/fhir+json`); its resources are in docs/fhir-mapping.md
/// ("Patient export").
package struct ExportBundle: Sendable, Equatable, Codable {
    /// Always `Bundle`.
    package var resourceType: String
    /// Always `collection`.
    package var type: String
    /// When the export was made (FHIR instant).
    package var timestamp: String
    /// Absent when the patient has nothing recorded (FHIR has no empty arrays).
    package var entry: [Entry]?

    /// One resource of the bundle.
    package struct Entry: Sendable, Equatable, Codable {
        package var fullUrl: String
        package var resource: JSONValue

        package init(fullUrl: String, resource: JSONValue) {
            self.fullUrl = fullUrl
            self.resource = resource
        }
    }

    package init(timestamp: String, entry: [Entry]) {
        resourceType = "Bundle"
        type = "collection"
        self.timestamp = timestamp
        self.entry = entry.isEmpty ? nil : entry
    }

    /// The entries' resources of one `resourceType`.
    package func resources(_ resourceType: String) -> [JSONValue] {
        (entry ?? []).map(\.resource).filter {
            if case .object(let object) = $0, object["resourceType"] == .string(resourceType) { true } else { false }
        }
    }
}
