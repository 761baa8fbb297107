import PillboxModel

extension FHIRMapping {
    /// The `MedicationDispense` for one stored version of a dispense.
    ///
    /// Carries `id` (``resourceID(pharmacy:pharmacyDispenseId:)``) and the version extension;
    /// every version of a dispense maps to the same id, so corrections and cancellations
    /// replace the content of the one resource. Absent optional fields leave no key. Patient
    /// names and birth date are never sent: the NAM identifies the patient.
    package static func medicationDispense(_ record: DispenseRecord, pharmacy: PharmacyIdentity) -> JSONValue {
        let dispense = record.dispense
        let medication = codeableConcept(dispense.medication)
        let subject = patientReference(dispense.patient)

        var extensions: [JSONValue] = [
            .object(["url": .string(versionExtension), "valueInteger": .number(Double(record.version))]),
        ]
        if let lot = dispense.lot {
            extensions.append(.object(["url": .string(lotExtension), "valueString": .string(lot)]))
        }

        var resource: [String: JSONValue] = [
            "resourceType": .string("MedicationDispense"),
            "id": .string(resourceID(pharmacy: pharmacy, pharmacyDispenseId: dispense.pharmacyDispenseId)),
            "extension": .array(extensions),
            "identifier": .array([identifier(system: pharmacy.system, value: dispense.pharmacyDispenseId)]),
            "status": .string(record.status.rawValue),
            "medicationCodeableConcept": medication,
            "subject": subject,
        ]
        if record.status != .completed, let reason = record.reason {
            resource["statusReasonCodeableConcept"] = .object(["text": .string(reason)])
        }
        if let license = dispense.pharmacist?.license {
            resource["performer"] = .array([.object([
                "actor": .object([
                    "type": .string("Practitioner"),
                    "identifier": identifier(system: pharmacistLicenseSystem, value: license),
                ]),
            ])])
        }
        let prescription = prescriptionReference(dispense, pharmacy: pharmacy, medication: medication, subject: subject)
        resource.set("contained", prescription.contained)
        resource.set("authorizingPrescription", prescription.reference.map { .array([$0]) })
        if let quantity = dispense.quantity {
            var members: [String: JSONValue] = ["value": .number(quantity.value)]
            members.set("unit", quantity.unit.map(JSONValue.string))
            resource["quantity"] = .object(members)
        }
        if let days = dispense.daysSupply {
            resource["daysSupply"] = .object([
                "value": .number(Double(days)), "unit": .string("d"),
                "system": .string(ucumSystem), "code": .string("d"),
            ])
        }
        // RFC 3339 allows a lower-case "t" and "z"; the FHIR dateTime pattern does not.
        resource.set("whenHandedOver", dispense.whenHandedOver.map { .string($0.uppercased()) })
        resource.set("note", dispense.note.map { .array([.object(["text": .string($0)])]) })
        resource.set("dosageInstruction", dispense.dosageText.map { .array([.object(["text": .string($0)])]) })
        return .object(resource)
    }

    /// `{system, value}`.
    static func identifier(system: String, value: String) -> JSONValue {
        .object(["system": .string(system), "value": .string(value)])
    }

    /// The patient, by NAM only.
    static func patientReference(_ patient: Dispense.Patient) -> JSONValue {
        .object(["type": .string("Patient"), "identifier": identifier(system: namSystem, value: patient.nam)])
    }

    /// The product: a DIN coding and/or a coding in the given system, then the ATC substance
    /// coding when known, and the display text.
    static func codeableConcept(_ medication: Dispense.Medication) -> JSONValue {
        var codings: [JSONValue] = []
        if let din = medication.din {
            codings.append(.object([
                "system": .string(dinSystem), "code": .string(din), "display": .string(medication.display),
            ]))
        }
        if let code = medication.code, let system = medication.codeSystem {
            codings.append(.object([
                "system": .string(system), "code": .string(code), "display": .string(medication.display),
            ]))
        }
        if let substance = medication.substanceCode {
            codings.append(.object(["system": .string(atcSystem), "code": .string(substance)]))
        }
        var concept: [String: JSONValue] = ["text": .string(medication.display)]
        if !codings.isEmpty { concept["coding"] = .array(codings) }
        return .object(concept)
    }

    /// `authorizingPrescription[0]` and the contained resources it points to.
    ///
    /// With prescriber data: a contained `MedicationRequest` `#rx` whose requester is a
    /// contained `Practitioner` `#prescriber`, referenced as `#rx` (plus the prescription's
    /// identifier when known). With only a prescription id: a logical reference by
    /// identifier, nothing contained. With neither: nothing.
    static func prescriptionReference(
        _ dispense: Dispense, pharmacy: PharmacyIdentity, medication: JSONValue, subject: JSONValue
    ) -> (reference: JSONValue?, contained: JSONValue?) {
        let prescriptionIdentifier = dispense.prescriptionId.map { identifier(system: pharmacy.system, value: $0) }
        guard let practitioner = prescriberPractitioner(dispense.prescriber) else {
            guard let prescriptionIdentifier else { return (nil, nil) }
            return (.object(["type": .string("MedicationRequest"), "identifier": prescriptionIdentifier]), nil)
        }
        var request: [String: JSONValue] = [
            "resourceType": .string("MedicationRequest"),
            "id": .string("rx"),
            "status": .string("unknown"),
            "intent": .string("order"),
            "medicationCodeableConcept": medication,
            "subject": subject,
            "requester": .object(["reference": .string("#prescriber")]),
        ]
        request.set("identifier", prescriptionIdentifier.map { .array([$0]) })
        var reference: [String: JSONValue] = ["reference": .string("#rx")]
        reference.set("identifier", prescriptionIdentifier)
        return (.object(reference), .array([.object(request), practitioner]))
    }

    /// The contained prescriber, or nil when the dispense has no prescriber data.
    static func prescriberPractitioner(_ prescriber: Dispense.Prescriber?) -> JSONValue? {
        guard let prescriber else { return nil }
        var name: [String: JSONValue] = [:]
        name.set("family", prescriber.familyName.map(JSONValue.string))
        name.set("given", prescriber.givenName.map { .array([.string($0)]) })
        guard prescriber.license != nil || !name.isEmpty else { return nil }
        var practitioner: [String: JSONValue] = [
            "resourceType": .string("Practitioner"),
            "id": .string("prescriber"),
        ]
        practitioner.set("identifier", prescriber.license.map {
            .array([identifier(system: prescriberLicenseSystem, value: $0)])
        })
        if !name.isEmpty { practitioner["name"] = .array([.object(name)]) }
        return .object(practitioner)
    }
}
