import PillboxCrypto

/// The HL7 FHIR R4 mapping of dispenses: what Pillbox sends to the central record and how it
/// reads the central record's answers. Pure functions over values, no I/O.
///
/// The rules, field by field, are in docs/fhir-mapping.md.
package enum FHIRMapping {
    /// Canada Health Infoway naming system of the Quebec health insurance number (NAM).
    package static let namSystem = "https://fhir.infoway-inforoute.ca/NamingSystem/ca-qc-patient-healthcare-id"
    /// Naming system of Health Canada Drug Identification Numbers (registered in FHIR core).
    package static let dinSystem = "http://hl7.org/fhir/NamingSystem/ca-hc-din"
    /// Extension on `MedicationDispense` whose `valueInteger` is the Pillbox record version.
    package static let versionExtension = "https://pillbox.local/fhir/StructureDefinition/record-version"
    /// Extension on `MedicationDispense` whose `valueString` is the lot number dispensed.
    package static let lotExtension = "https://pillbox.local/fhir/StructureDefinition/lot-number"
    /// Naming system of the dispensing pharmacist's license (Ordre des pharmaciens du Québec).
    /// A placeholder: no Quebec pharmacist-license URI is published in the Canadian URI
    /// Registry; the value must be agreed with the central record.
    package static let pharmacistLicenseSystem = "https://pillbox.local/NamingSystem/ca-qc-opq-license"
    /// Naming system of the prescriber's license. A placeholder: Quebec prescribers belong to
    /// several orders (CMQ, OIIQ, OPQ, ODQ…) and the dispense does not say which one issued
    /// the license; the value must be agreed with the central record.
    package static let prescriberLicenseSystem = "https://pillbox.local/NamingSystem/ca-qc-prescriber-license"
    /// WHO ATC classification: the system of `medication.substanceCode` (level 5, one substance).
    package static let atcSystem = "http://www.whocc.no/atc"
    /// UCUM, the code system of `daysSupply`'s unit.
    package static let ucumSystem = "http://unitsofmeasure.org"

    /// Prefix of every Pillbox resource id.
    static let resourceIDPrefix = "pbx-"

    /// Deterministic FHIR id of a dispense: `"pbx-"` + the first 32 hex characters of
    /// SHA-256(`"pillbox-resource-v1|" + system + "|" + pharmacyID + "|" + pharmacyDispenseId`).
    ///
    /// 36 characters of `[a-z0-9-]`, a valid FHIR id (at most 64 of `[A-Za-z0-9-.]`). The same
    /// pharmacy and dispense always give the same id, so a resend after a lost response
    /// updates the resource instead of creating a second one.
    package static func resourceID(pharmacy: PharmacyIdentity, pharmacyDispenseId: String) -> String {
        let input = "pillbox-resource-v1|\(pharmacy.system)|\(pharmacy.pharmacyID)|\(pharmacyDispenseId)"
        let hex = Hex.encode(SHA256Digest.hash(Array(input.utf8)))
        return resourceIDPrefix + hex.prefix(32)
    }
}
