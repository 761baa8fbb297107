import PillboxFHIR
import PillboxModel
import Testing

@Suite("Dispense record to MedicationDispense")
struct MedicationDispenseMappingTests {
    let pharmacy = Fixtures.pharmacy

    static let metforminConcept = """
        {"coding": [{"system": "http://hl7.org/fhir/NamingSystem/ca-hc-din", "code": "02242903",
                     "display": "Metformin 500 mg tablet"}],
         "text": "Metformin 500 mg tablet"}
        """
    static let subject = """
        {"type": "Patient",
         "identifier": {"system": "https://fhir.infoway-inforoute.ca/NamingSystem/ca-qc-patient-healthcare-id",
                        "value": "TREM50020312"}}
        """

    @Test("A full record maps to the exact expected MedicationDispense")
    func fullRecord() throws {
        let record = Fixtures.record(Fixtures.fullDispense, version: 2, reason: "Quantity corrected")
        let expected = try Fixtures.json("""
            {
              "resourceType": "MedicationDispense",
              "id": "pbx-1dd5fcaaae89164ea4f8fd35c8138222",
              "extension": [
                {"url": "https://pillbox.local/fhir/StructureDefinition/record-version", "valueInteger": 2},
                {"url": "https://pillbox.local/fhir/StructureDefinition/lot-number", "valueString": "L123"}
              ],
              "identifier": [{"system": "https://pharmacy.example/ids/1234", "value": "PDI-0001"}],
              "status": "completed",
              "medicationCodeableConcept": \(Self.metforminConcept),
              "subject": \(Self.subject),
              "performer": [{"actor": {"type": "Practitioner",
                                       "identifier": {"system": "https://pillbox.local/NamingSystem/ca-qc-opq-license",
                                                      "value": "PH-998"}}}],
              "contained": [
                {"resourceType": "MedicationRequest", "id": "rx",
                 "identifier": [{"system": "https://pharmacy.example/ids/1234", "value": "RX-0001"}],
                 "status": "unknown", "intent": "order",
                 "medicationCodeableConcept": \(Self.metforminConcept),
                 "subject": \(Self.subject),
                 "requester": {"reference": "#prescriber"}},
                {"resourceType": "Practitioner", "id": "prescriber",
                 "identifier": [{"system": "https://pillbox.local/NamingSystem/ca-qc-prescriber-license", "value": "1234567"}],
                 "name": [{"family": "Gagnon", "given": ["Luc"]}]}
              ],
              "authorizingPrescription": [
                {"reference": "#rx", "identifier": {"system": "https://pharmacy.example/ids/1234", "value": "RX-0001"}}
              ],
              "quantity": {"value": 60, "unit": "tablet"},
              "daysSupply": {"value": 30, "unit": "d", "system": "http://unitsofmeasure.org", "code": "d"},
              "whenHandedOver": "2026-11-20T10:00:00-05:00",
              "dosageInstruction": [{"text": "1 tablet twice daily with meals"}],
              "note": [{"text": "Counselled on side effects"}]
            }
            """)
        #expect(FHIRMapping.medicationDispense(record, pharmacy: pharmacy) == expected)
    }

    @Test("Integers encode as integral JSON numbers and patient names and birth date are never sent")
    func encodedForm() throws {
        let text = try Fixtures.text(FHIRMapping.medicationDispense(Fixtures.record(Fixtures.fullDispense, version: 2),
                                                                    pharmacy: pharmacy))
        #expect(text.contains(#""valueInteger":2}"#))
        #expect(text.contains(#""quantity":{"unit":"tablet","value":60}"#))
        #expect(text.contains(#""code":"d","system":"http://unitsofmeasure.org","unit":"d","value":30}"#))
        #expect(!text.contains(".0"))
        for patientDetail in ["Tremblay", "Marie", "1950-02-03", "null", "[]", "{}"] {
            #expect(!text.contains(patientDetail), "\(patientDetail)")
        }
    }

    @Test("A minimal record maps without any optional key")
    func minimalRecord() throws {
        let resource = FHIRMapping.medicationDispense(Fixtures.record(Fixtures.minimalDispense), pharmacy: pharmacy)
        let expected = try Fixtures.json("""
            {
              "resourceType": "MedicationDispense",
              "id": "pbx-b8e22c2d54bee684e0abb48aea27530c",
              "extension": [{"url": "https://pillbox.local/fhir/StructureDefinition/record-version", "valueInteger": 1}],
              "identifier": [{"system": "https://pharmacy.example/ids/1234", "value": "PDI-0002"}],
              "status": "completed",
              "medicationCodeableConcept": {
                "coding": [{"system": "http://hl7.org/fhir/NamingSystem/ca-hc-din", "code": "02242903", "display": "Metformin"}],
                "text": "Metformin"
              },
              "subject": \(Self.subject)
            }
            """)
        #expect(resource == expected)
        #expect(Fixtures.keys(resource) == [
            "resourceType", "id", "extension", "identifier", "status", "medicationCodeableConcept", "subject",
        ])
    }

    @Test("A product without DIN is coded in its own system; with both, the DIN coding comes first")
    func medicationCodings() throws {
        var dispense = Fixtures.minimalDispense
        dispense.medication = .init(code: "999001", codeSystem: "https://ramq.gouv.qc.ca/codes", display: "Compounded cream")
        let coded = FHIRMapping.medicationDispense(Fixtures.record(dispense), pharmacy: pharmacy)
        #expect(coded[member: "medicationCodeableConcept"] == (try Fixtures.json("""
            {"coding": [{"system": "https://ramq.gouv.qc.ca/codes", "code": "999001", "display": "Compounded cream"}],
             "text": "Compounded cream"}
            """)))

        dispense.medication = .init(din: "02242903", code: "999001", codeSystem: "https://ramq.gouv.qc.ca/codes",
                                    display: "Metformin")
        let both = FHIRMapping.medicationDispense(Fixtures.record(dispense), pharmacy: pharmacy)
        #expect(both[member: "medicationCodeableConcept"] == (try Fixtures.json("""
            {"coding": [{"system": "http://hl7.org/fhir/NamingSystem/ca-hc-din", "code": "02242903", "display": "Metformin"},
                        {"system": "https://ramq.gouv.qc.ca/codes", "code": "999001", "display": "Metformin"}],
             "text": "Metformin"}
            """)))
    }

    @Test("A cancellation keeps the id and sends status cancelled with the reason as statusReason text")
    func cancellation() throws {
        let first = FHIRMapping.medicationDispense(Fixtures.record(Fixtures.fullDispense), pharmacy: pharmacy)
        let cancelled = FHIRMapping.medicationDispense(
            Fixtures.record(Fixtures.fullDispense, version: 3, status: .cancelled, reason: "Not picked up"),
            pharmacy: pharmacy)
        #expect(cancelled[member: "id"] == first[member: "id"])
        #expect(cancelled[member: "id"] == .string(Fixtures.fullID))
        #expect(cancelled[member: "status"] == .string("cancelled"))
        #expect(cancelled[member: "statusReasonCodeableConcept"] == .object(["text": .string("Not picked up")]))
        #expect(cancelled[member: "extension"]?[index: 0] == (try Fixtures.json("""
            {"url": "https://pillbox.local/fhir/StructureDefinition/record-version", "valueInteger": 3}
            """)))
        // Apart from status, reason and version the content is the same resource.
        #expect(Fixtures.keys(cancelled).subtracting(Fixtures.keys(first)) == ["statusReasonCodeableConcept"])
        #expect(cancelled[member: "medicationCodeableConcept"] == first[member: "medicationCodeableConcept"])
    }

    @Test("Entered-in-error sends that status and reason; a correction's reason is not sent")
    func enteredInErrorAndCorrection() {
        let wrong = FHIRMapping.medicationDispense(
            Fixtures.record(Fixtures.minimalDispense, version: 2, status: .enteredInError, reason: "Wrong patient"),
            pharmacy: pharmacy)
        #expect(wrong[member: "status"] == .string("entered-in-error"))
        #expect(wrong[member: "statusReasonCodeableConcept"] == .object(["text": .string("Wrong patient")]))
        #expect(wrong[member: "id"] == .string(Fixtures.minimalID))

        var corrected = Fixtures.minimalDispense
        corrected.quantity = .init(value: 30.5)
        let correction = FHIRMapping.medicationDispense(
            Fixtures.record(corrected, version: 2, reason: "Quantity corrected"), pharmacy: pharmacy)
        #expect(correction[member: "status"] == .string("completed"))
        #expect(correction[member: "statusReasonCodeableConcept"] == nil)
        #expect(correction[member: "quantity"] == .object(["value": .number(30.5)]))
        #expect(correction[member: "id"] == .string(Fixtures.minimalID))
    }

    @Test("Prescription data maps to a logical reference, or to contained resources only when there is a prescriber")
    func prescriptionCases() throws {
        var onlyPrescription = Fixtures.minimalDispense
        onlyPrescription.prescriptionId = "RX-9"
        onlyPrescription.prescriber = .init()  // an empty prescriber object is no prescriber data
        let logical = FHIRMapping.medicationDispense(Fixtures.record(onlyPrescription), pharmacy: pharmacy)
        #expect(logical[member: "contained"] == nil)
        #expect(logical[member: "authorizingPrescription"] == (try Fixtures.json("""
            [{"type": "MedicationRequest", "identifier": {"system": "https://pharmacy.example/ids/1234", "value": "RX-9"}}]
            """)))

        var onlyPrescriber = Fixtures.minimalDispense
        onlyPrescriber.prescriber = .init(familyName: "Gagnon")
        let contained = FHIRMapping.medicationDispense(Fixtures.record(onlyPrescriber), pharmacy: pharmacy)
        #expect(contained[member: "authorizingPrescription"] == .array([.object(["reference": .string("#rx")])]))
        let resources = try #require(contained[member: "contained"])
        #expect(Fixtures.keys(try #require(resources[index: 0])) == [
            "resourceType", "id", "status", "intent", "medicationCodeableConcept", "subject", "requester",
        ])
        #expect(resources[index: 1] == (try Fixtures.json("""
            {"resourceType": "Practitioner", "id": "prescriber", "name": [{"family": "Gagnon"}]}
            """)))
    }

    @Test("A lower-case t or z in whenHandedOver is sent upper-case, as the FHIR dateTime pattern requires")
    func handedOverCase() {
        var dispense = Fixtures.minimalDispense
        dispense.whenHandedOver = "2026-11-20t15:00:00.5z"
        let resource = FHIRMapping.medicationDispense(Fixtures.record(dispense), pharmacy: pharmacy)
        #expect(resource[member: "whenHandedOver"] == .string("2026-11-20T15:00:00.5Z"))
    }
}
