import PillboxFHIR
import PillboxModel
import Testing

@Suite("Central MedicationDispense to profile entry")
struct CentralDispenseTests {
    let pharmacy = Fixtures.pharmacy

    @Test("A DIN dispense round-trips from medicationDispense output, with meta.lastUpdated")
    func dinRoundTrip() throws {
        var resource = FHIRMapping.medicationDispense(Fixtures.record(Fixtures.fullDispense, version: 2),
                                                      pharmacy: pharmacy)
        resource = Fixtures.setting(
            "meta", try Fixtures.json(#"{"versionId": "2", "lastUpdated": "2026-11-20T15:00:01.234Z"}"#), in: resource)
        #expect(FHIRMapping.centralDispense(from: resource) == CentralDispense(
            resourceID: Fixtures.fullID,
            identifierSystem: "https://pharmacy.example/ids/1234",
            identifierValue: "PDI-0001",
            status: "completed",
            medication: .init(din: "02242903", display: "Metformin 500 mg tablet"),
            quantity: .init(value: 60, unit: "tablet"),
            daysSupply: 30,
            dosageText: "1 tablet twice daily with meals",
            whenHandedOver: "2026-11-20T10:00:00-05:00",
            performerLicense: "PH-998",
            lastUpdated: "2026-11-20T15:00:01.234Z",
            prescriptionId: "RX-0001"))
    }

    @Test("A coded, cancelled dispense round-trips with its code system and status")
    func codeRoundTrip() {
        var dispense = Fixtures.minimalDispense
        dispense.medication = .init(code: "999001", codeSystem: "https://ramq.gouv.qc.ca/codes", display: "Compounded cream")
        let resource = FHIRMapping.medicationDispense(
            Fixtures.record(dispense, version: 2, status: .cancelled, reason: "Not picked up"), pharmacy: pharmacy)
        #expect(FHIRMapping.centralDispense(from: resource) == CentralDispense(
            resourceID: Fixtures.minimalID,
            identifierSystem: "https://pharmacy.example/ids/1234",
            identifierValue: "PDI-0002",
            status: "cancelled",
            medication: .init(code: "999001", codeSystem: "https://ramq.gouv.qc.ca/codes", display: "Compounded cream")))
    }

    @Test("Another pharmacy's resource is read: contained Medication, supply in weeks, other license system")
    func foreignResource() throws {
        let resource = try Fixtures.json("""
            {
              "resourceType": "MedicationDispense", "id": "md-77", "status": "in-progress",
              "contained": [{"resourceType": "Medication", "id": "med",
                             "code": {"coding": [{"system": "http://hl7.org/fhir/NamingSystem/ca-hc-din",
                                                  "code": "00559407", "display": "Tylenol 500 mg"}]}}],
              "medicationReference": {"reference": "#med"},
              "quantity": {"value": 12.5, "system": "http://unitsofmeasure.org", "code": "mL"},
              "daysSupply": {"value": 2, "system": "http://unitsofmeasure.org", "code": "wk"},
              "performer": [{"actor": {"identifier": {"system": "https://other.example/licenses", "value": "L-5"}}}],
              "dosageInstruction": [{"sequence": 1}, {"text": "5 mL at bedtime"}]
            }
            """)
        #expect(FHIRMapping.centralDispense(from: resource) == CentralDispense(
            resourceID: "md-77", status: "in-progress",
            medication: .init(din: "00559407", display: "Tylenol 500 mg"),
            quantity: .init(value: 12.5, unit: "mL"), daysSupply: 14, dosageText: "5 mL at bedtime",
            performerLicense: "L-5"))
    }

    @Test("A resource without status, medication or id, or of another type, gives nil")
    func incomplete() throws {
        let resource = FHIRMapping.medicationDispense(Fixtures.record(Fixtures.minimalDispense), pharmacy: pharmacy)
        #expect(FHIRMapping.centralDispense(from: resource) != nil)
        #expect(FHIRMapping.centralDispense(from: Fixtures.setting("status", nil, in: resource)) == nil)
        #expect(FHIRMapping.centralDispense(from: Fixtures.setting("medicationCodeableConcept", nil, in: resource)) == nil)
        #expect(FHIRMapping.centralDispense(from: Fixtures.setting("id", nil, in: resource)) == nil)
        #expect(FHIRMapping.centralDispense(
            from: Fixtures.setting("medicationCodeableConcept", try Fixtures.json(#"{"coding": []}"#), in: resource)) == nil)
        #expect(FHIRMapping.centralDispense(
            from: Fixtures.setting("resourceType", .string("MedicationRequest"), in: resource)) == nil)
    }
}
