import Foundation
/// A dispense as the central record holds it, for merging into a local profile as
/// `"source": "central"`.
///
/// Read from a central `MedicationDispense` by `FHIRMapping.centralDispense(from:)` (PillboxFHIR);
/// see docs/fhir-mapping.md, "Reading central resources back".
package struct CentralDispense: Sendable, Equatable, Codable {
    /// The resource's logical id on the central record (`MedicationDispense.id`).
    package var resourceID: String
    /// `identifier[0].system`: the dispensing pharmacy's namespace of dispense ids.
    package var identifierSystem: String?
    /// `identifier[0].value`: the dispensing pharmacy's id of the dispense.
    package var identifierValue: String?
    /// `MedicationDispense.status`, as the central record has it (any FHIR status code).
    package var status: String
    /// The product: `din` from a DIN coding if there is one, otherwise `code`/`codeSystem`
    /// of the first coding; `display` from the text, else a coding display, else the code.
    package var medication: Dispense.Medication
    /// `quantity` value and unit (the unit falls back to the UCUM code).
    package var quantity: Dispense.Quantity?
    /// `daysSupply` in days (a supply in weeks is converted).
    package var daysSupply: Int?
    /// The first `dosageInstruction.text`.
    package var dosageText: String?
    /// `whenHandedOver`, as the central record has it.
    package var whenHandedOver: String?
    /// The license of the performing pharmacist (`performer.actor.identifier.value`).
    package var performerLicense: String?
    /// `meta.lastUpdated`: when the central record last changed the resource.
    package var lastUpdated: String?
    /// The prescription's identifier value (`authorizingPrescription`), when given.
    package var prescriptionId: String?
    /// The pharmacy that made the dispense (a performer `Organization`), when the central record says it.
    package var pharmacy: String?

    /// When it happened, for sorting a profile: handed over, else last updated, else the
    /// distant past.
    package var sortDate: Date {
        whenHandedOver.flatMap(Timestamps.parseRFC3339) ?? lastUpdated.flatMap(Timestamps.parseRFC3339) ?? .distantPast
    }

    /// A central dispense with the given content.
    package init(
        resourceID: String, identifierSystem: String? = nil, identifierValue: String? = nil, status: String,
        medication: Dispense.Medication, quantity: Dispense.Quantity? = nil, daysSupply: Int? = nil,
        dosageText: String? = nil, whenHandedOver: String? = nil, performerLicense: String? = nil,
        lastUpdated: String? = nil, prescriptionId: String? = nil, pharmacy: String? = nil
    ) {
        self.resourceID = resourceID
        self.identifierSystem = identifierSystem
        self.identifierValue = identifierValue
        self.status = status
        self.medication = medication
        self.quantity = quantity
        self.daysSupply = daysSupply
        self.dosageText = dosageText
        self.whenHandedOver = whenHandedOver
        self.performerLicense = performerLicense
        self.lastUpdated = lastUpdated
        self.prescriptionId = prescriptionId
        self.pharmacy = pharmacy
    }
}
