import PillboxModel

extension FHIRMapping {
    /// A central `MedicationDispense` as a profile entry.
    ///
    /// Nil when the resource is not a `MedicationDispense` or lacks what a profile needs: an
    /// `id`, a `status`, and a medication (`medicationCodeableConcept`, or a
    /// `medicationReference` to a contained `Medication` with a `code`) with at least a code
    /// or a text. Everything else is optional and read leniently: a malformed optional
    /// element is left out rather than rejecting the dispense.
    package static func centralDispense(from resource: JSONValue) -> CentralDispense? {
        guard resource.string("resourceType") == "MedicationDispense",
              let id = resource.string("id"),
              let status = resource.string("status"),
              let concept = medicationConcept(of: resource),
              let medication = medication(from: concept)
        else { return nil }

        let identifier = resource.array("identifier").first
        return CentralDispense(
            resourceID: id,
            identifierSystem: identifier?.string("system"),
            identifierValue: identifier?.string("value"),
            status: status,
            medication: medication,
            quantity: quantity(from: resource[member: "quantity"]),
            daysSupply: days(from: resource[member: "daysSupply"]),
            dosageText: resource.array("dosageInstruction").lazy.compactMap { $0.string("text") }.first,
            whenHandedOver: resource.string("whenHandedOver"),
            performerLicense: performerLicense(of: resource),
            lastUpdated: resource[member: "meta"]?.string("lastUpdated"),
            prescriptionId: prescriptionId(of: resource),
            pharmacy: pharmacy(of: resource))
    }

    /// `medicationCodeableConcept`, or the `code` of the contained Medication that
    /// `medicationReference` points to.
    static func medicationConcept(of resource: JSONValue) -> JSONValue? {
        if let concept = resource[member: "medicationCodeableConcept"], concept.asObject != nil { return concept }
        guard let reference = resource[member: "medicationReference"]?.string("reference"),
              reference.hasPrefix("#") else { return nil }
        let id = String(reference.dropFirst())
        let contained = resource.array("contained").first {
            $0.string("resourceType") == "Medication" && $0.string("id") == id
        }
        return contained?[member: "code"]
    }

    /// The product named by a CodeableConcept: the DIN coding gives `din`; the first other
    /// coding with a system and code gives `code`/`codeSystem`; the display is the text, else
    /// a coding display, else the DIN or code itself.
    static func medication(from concept: JSONValue) -> Dispense.Medication? {
        let codings = concept.array("coding")
        let dinCoding = codings.first { $0.string("system") == dinSystem && $0.string("code") != nil }
        let otherCoding = codings.first {
            $0.string("system") != dinSystem && $0.string("system") != atcSystem && $0.string("system") != nil
                && $0.string("code") != nil
        }
        let substance = codings.lazy.filter { $0.string("system") == atcSystem }
            .compactMap { $0.string("code").flatMap(Identifiers.normalizedATC) }.first
        let din = dinCoding?.string("code")
        let code = otherCoding?.string("code")
        let display = concept.string("text")
            ?? dinCoding?.string("display")
            ?? otherCoding?.string("display")
            ?? codings.lazy.compactMap { $0.string("display") }.first
            ?? din ?? code
        guard let display else { return nil }
        return Dispense.Medication(din: din, code: code, codeSystem: otherCoding?.string("system"), display: display,
                                   substanceCode: substance)
    }

    /// A SimpleQuantity with a number value; the unit falls back to the code.
    static func quantity(from value: JSONValue?) -> Dispense.Quantity? {
        guard let value, let number = value[member: "value"]?.asNumber, number.isFinite else { return nil }
        return Dispense.Quantity(value: number, unit: value.string("unit") ?? value.string("code"))
    }

    /// A days supply in whole days: UCUM `d` (or no code and a day unit) as is, `wk` times 7,
    /// anything else nil. Fractions round to the nearest day.
    static func days(from value: JSONValue?) -> Int? {
        guard let value, let number = value[member: "value"]?.asNumber, number.isFinite, number >= 0,
              number < 100_000 else { return nil }
        let unit = value.string("code") ?? value.string("unit")
        let factor: Double
        switch unit {
        case "d", "day", "days", nil: factor = 1
        case "wk", "week", "weeks": factor = 7
        default: return nil
        }
        return Int((number * factor).rounded())
    }

    /// The prescription's identifier value: `authorizingPrescription[0].identifier`, else the
    /// first identifier of the contained `MedicationRequest` it references.
    static func prescriptionId(of resource: JSONValue) -> String? {
        guard let reference = resource.array("authorizingPrescription").first else { return nil }
        if let value = reference[member: "identifier"]?.string("value") { return value }
        guard let target = reference.string("reference"), target.hasPrefix("#") else { return nil }
        let id = String(target.dropFirst())
        let request = resource.array("contained").first {
            $0.string("resourceType") == "MedicationRequest" && $0.string("id") == id
        }
        return request?.array("identifier").first?.string("value")
    }

    /// The dispensing pharmacy where the central record says it: a performer whose actor is an
    /// `Organization` (its identifier value, else its display).
    static func pharmacy(of resource: JSONValue) -> String? {
        let actors = resource.array("performer").compactMap { $0[member: "actor"] }
        guard let organization = actors.first(where: { $0.string("type") == "Organization" }) else { return nil }
        return organization[member: "identifier"]?.string("value") ?? organization.string("display")
    }

    /// The license of the performer: an actor identifier in the pharmacist-license system if
    /// there is one, else the first performer's actor identifier value.
    static func performerLicense(of resource: JSONValue) -> String? {
        let identifiers = resource.array("performer").compactMap { $0[member: "actor"]?[member: "identifier"] }
        let licensed = identifiers.first { $0.string("system") == pharmacistLicenseSystem }
        return (licensed ?? identifiers.first)?.string("value")
    }
}
