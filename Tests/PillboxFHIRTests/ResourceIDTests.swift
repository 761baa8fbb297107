import PillboxFHIR
import Testing

@Suite("Deterministic resource ids")
struct ResourceIDTests {
    let pharmacy = Fixtures.pharmacy

    @Test("The id is pbx- and the first 32 hex characters of the SHA-256 of the documented input")
    func matchesIndependentComputation() {
        // python3 -c "import hashlib;print(hashlib.sha256(b'pillbox-resource-v1|https://pharmacy.example/ids/1234|1234|PDI-0001').hexdigest()[:32])"
        #expect(FHIRMapping.resourceID(pharmacy: pharmacy, pharmacyDispenseId: "PDI-0001")
                == "pbx-1dd5fcaaae89164ea4f8fd35c8138222")
        // python3 -c "import hashlib;print(hashlib.sha256('pillbox-resource-v1|urn:oid:2.16.124|Pharmacie Émile|Ré-7'.encode()).hexdigest()[:32])"
        let accented = PharmacyIdentity(system: "urn:oid:2.16.124", pharmacyID: "Pharmacie Émile")
        #expect(FHIRMapping.resourceID(pharmacy: accented, pharmacyDispenseId: "Ré-7")
                == "pbx-f0c1b2a8dd54c4b8f7e35eed2333a227")
    }

    @Test("The same pharmacy and dispense id always give the same id")
    func deterministic() {
        let first = FHIRMapping.resourceID(pharmacy: pharmacy, pharmacyDispenseId: "PDI-0001")
        let second = FHIRMapping.resourceID(
            pharmacy: PharmacyIdentity(system: pharmacy.system, pharmacyID: pharmacy.pharmacyID),
            pharmacyDispenseId: "PDI-0001")
        #expect(first == second)
    }

    @Test("A different namespace, pharmacy id or dispense id gives a different id")
    func differsPerInput() {
        let base = FHIRMapping.resourceID(pharmacy: pharmacy, pharmacyDispenseId: "PDI-0001")
        let otherSystem = FHIRMapping.resourceID(
            pharmacy: PharmacyIdentity(system: "https://pharmacy.example/ids/9999", pharmacyID: "1234"),
            pharmacyDispenseId: "PDI-0001")
        let otherPharmacy = FHIRMapping.resourceID(
            pharmacy: PharmacyIdentity(system: pharmacy.system, pharmacyID: "1235"), pharmacyDispenseId: "PDI-0001")
        let otherDispense = FHIRMapping.resourceID(pharmacy: pharmacy, pharmacyDispenseId: "PDI-0002")
        #expect(Set([base, otherSystem, otherPharmacy, otherDispense]).count == 4)
    }

    @Test("Every id matches ^pbx-[0-9a-f]{32}$, a valid FHIR id")
    func shape() throws {
        let pattern = try Regex("^pbx-[0-9a-f]{32}$")
        for dispenseId in ["PDI-0001", "", "a|b", String(repeating: "x", count: 64), "Ré 7/é"] {
            let id = FHIRMapping.resourceID(pharmacy: pharmacy, pharmacyDispenseId: dispenseId)
            #expect(id.wholeMatch(of: pattern) != nil, "\(id)")
            #expect(id.count == 36)
        }
    }
}
