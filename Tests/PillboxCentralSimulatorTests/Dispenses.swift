import Foundation

/// MedicationDispense resources and batch bundles as a FHIR client sends them.
enum Dispenses {
    static let system = "https://pillbox.example/nam"

    /// A valid MedicationDispense.
    static func resource(id: String, patient: String = "TREM50020312", identifier: String? = nil,
                         handedOver: String = "2026-11-20T10:00:00Z", quantity: Int = 60,
                         status: String = "completed") -> [String: Any] {
        [
            "resourceType": "MedicationDispense",
            "id": id,
            "identifier": [["system": "https://pillbox.example/dispense", "value": identifier ?? "D-\(id)"]],
            "status": status,
            "subject": ["identifier": ["system": system, "value": patient]],
            "medicationCodeableConcept": ["coding": [["system": "https://health.example/din", "code": "02242903"]]],
            "quantity": ["value": quantity, "unit": "tablet"],
            "whenHandedOver": handedOver,
        ]
    }

    /// A batch entry that PUTs `resource`.
    static func putEntry(_ resource: [String: Any], url: String? = nil, method: String = "PUT") -> [String: Any] {
        [
            "resource": resource,
            "request": ["method": method, "url": url ?? "MedicationDispense/\(resource["id"] as? String ?? "")"],
        ]
    }

    /// A `batch` Bundle of `entries`.
    static func batch(_ entries: [[String: Any]]) -> [String: Any] {
        ["resourceType": "Bundle", "type": "batch", "entry": entries]
    }
}
