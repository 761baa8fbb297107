import PillboxFHIR
import PillboxModel
import Testing

@Suite("The ATC substance code, the prescription and the pharmacy, to and from FHIR")
struct SubstanceCodeMappingTests {
    /// `medicationCodeableConcept.coding` of a resource.
    static func codings(_ resource: JSONValue) -> [JSONValue] {
        guard case .object(let members) = resource, case .object(let concept)? = members["medicationCodeableConcept"],
              case .array(let codings)? = concept["coding"] else { return [] }
        return codings
    }

    @Test("A substance code goes out as an extra ATC coding after the DIN and comes back as substanceCode")
    func substanceRoundTrip() throws {
        var dispense = Fixtures.minimalDispense
        dispense.medication.substanceCode = "A10BA02"
        let resource = FHIRMapping.medicationDispense(Fixtures.record(dispense), pharmacy: Fixtures.pharmacy)
        #expect(try Self.codings(resource).map { try Fixtures.text($0) } == [
            #"{"code":"02242903","display":"Metformin","system":"http://hl7.org/fhir/NamingSystem/ca-hc-din"}"#,
            #"{"code":"A10BA02","system":"http://www.whocc.no/atc"}"#,
        ])
        let back = try #require(FHIRMapping.centralDispense(from: resource))
        #expect(back.medication == .init(din: "02242903", display: "Metformin", substanceCode: "A10BA02"))
        #expect(back.medication.code == nil && back.medication.codeSystem == nil)
    }

    @Test("Without a substance code no ATC coding is sent")
    func noSubstance() {
        let resource = FHIRMapping.medicationDispense(Fixtures.record(Fixtures.minimalDispense), pharmacy: Fixtures.pharmacy)
        #expect(Self.codings(resource).count == 1)
    }

    @Test("Another pharmacy's resource gives its ATC code (normalized), its prescription id and its pharmacy")
    func foreignPrescriptionAndPharmacy() throws {
        let resource = try Fixtures.json("""
            {
              "resourceType": "MedicationDispense", "id": "md-9", "status": "completed",
              "medicationCodeableConcept": {"coding": [
                {"system": "https://other.example/codes", "code": "X1"},
                {"system": "http://www.whocc.no/atc", "code": "c09aa05"}], "text": "Ramipril"},
              "performer": [{"actor": {"type": "Practitioner", "identifier": {"value": "L-5"}}},
                            {"actor": {"type": "Organization", "identifier": {"value": "0099"}, "display": "Pharmacie X"}}],
              "contained": [{"resourceType": "MedicationRequest", "id": "rx", "identifier": [{"value": "RX-55"}]}],
              "authorizingPrescription": [{"reference": "#rx"}]
            }
            """)
        let central = try #require(FHIRMapping.centralDispense(from: resource))
        #expect(central.medication == .init(code: "X1", codeSystem: "https://other.example/codes", display: "Ramipril",
                                            substanceCode: "C09AA05"))
        #expect(central.prescriptionId == "RX-55")
        #expect(central.pharmacy == "0099")
        #expect(central.performerLicense == "L-5")
    }

    @Test("An ATC code that is not level 5, and a performer that is not an Organization, are left out")
    func lenientReading() throws {
        let resource = try Fixtures.json("""
            {
              "resourceType": "MedicationDispense", "id": "md-10", "status": "completed",
              "medicationCodeableConcept": {"coding": [{"system": "http://www.whocc.no/atc", "code": "C09AA"}], "text": "ACE"},
              "performer": [{"actor": {"display": "Someone"}}]
            }
            """)
        let central = try #require(FHIRMapping.centralDispense(from: resource))
        #expect(central.medication.substanceCode == nil)
        #expect(central.pharmacy == nil)
        #expect(central.prescriptionId == nil)
    }
}
