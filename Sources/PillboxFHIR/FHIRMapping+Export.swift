import PillboxModel

extension FHIRMapping {
    /// The resources of a patient's export (`GET /v1/patients/{nam}/export`), in entry order:
    /// a `Patient` (the NAM, and the name and birth date of the newest readable record, the
    /// only place Pillbox keeps them), one `MedicationDispense` per dispense (its current
    /// version, mapped as for upload, so a cancelled or entered-in-error one says so in its
    /// `status`), then an `OperationOutcome` per dispense that could not be read (its id only);
    /// each with its `fullUrl` (``fullURL(resourceType:id:)``).
    ///
    /// - Parameters:
    ///   - nam: the patient's normalised NAM.
    ///   - records: the readable dispenses, newest first.
    ///   - unreadable: ids of the dispenses that failed their integrity check.
    package static func patientExport(nam: String, records: [DispenseRecord], unreadable: [String],
                                      pharmacy: PharmacyIdentity) -> [(fullUrl: String, resource: JSONValue)] {
        var patient: [String: JSONValue] = [
            "resourceType": .string("Patient"),
            "id": .string(resourceID(pharmacy: pharmacy, pharmacyDispenseId: "patient|\(nam)")),
            "identifier": .array([identifier(system: namSystem, value: nam)]),
        ]
        if let newest = records.first?.dispense.patient {
            var name: [String: JSONValue] = [:]
            name.set("family", newest.familyName.map(JSONValue.string))
            name.set("given", newest.givenName.map { .array([.string($0)]) })
            if !name.isEmpty { patient["name"] = .array([.object(name)]) }
            patient.set("birthDate", newest.birthDate.map(JSONValue.string))
        }
        var resources: [JSONValue] = [.object(patient)]
        resources += records.map { medicationDispense($0, pharmacy: pharmacy) }
        resources += unreadable.map { id in
            .object([
                "resourceType": .string("OperationOutcome"),
                "id": .string(resourceID(pharmacy: pharmacy, pharmacyDispenseId: "unreadable|\(id)")),
                "issue": .array([.object([
                    "severity": .string("error"), "code": .string("exception"),
                    "diagnostics": .string("dispense \(id) failed its integrity check and is not in this export; "
                        + "a technician can find it in the daemon log"),
                ])]),
            ])
        }
        return resources.map { resource in
            (fullURL(resourceType: resource.string("resourceType") ?? "", id: resource.string("id") ?? ""), resource)
        }
    }
}
