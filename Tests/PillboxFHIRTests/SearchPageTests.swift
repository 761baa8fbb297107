import PillboxFHIR
import PillboxModel
import Testing

@Suite("Searchset pages")
struct SearchPageTests {
    @Test("A searchset page gives its MedicationDispense resources in order and the next link")
    func readsPage() throws {
        let first = FHIRMapping.medicationDispense(Fixtures.record(Fixtures.fullDispense), pharmacy: Fixtures.pharmacy)
        let second = FHIRMapping.medicationDispense(Fixtures.record(Fixtures.minimalDispense), pharmacy: Fixtures.pharmacy)
        let bundle = try Fixtures.json("""
            {
              "resourceType": "Bundle", "type": "searchset", "total": 7,
              "link": [
                {"relation": "self", "url": "https://central.example/fhir/MedicationDispense?subject:identifier=x"},
                {"relation": "next", "url": "https://central.example/fhir?_getpages=abc&_getpagesoffset=2"}
              ],
              "entry": [
                {"fullUrl": "https://central.example/fhir/MedicationDispense/a", "resource": \(try Fixtures.text(first)),
                 "search": {"mode": "match"}},
                {"resource": {"resourceType": "OperationOutcome", "issue": []}, "search": {"mode": "outcome"}},
                {"fullUrl": "https://central.example/fhir/MedicationDispense/b", "resource": \(try Fixtures.text(second)),
                 "search": {"mode": "match"}}
              ]
            }
            """)
        #expect(FHIRMapping.searchPage(bundle) == .success(SearchPage(
            resources: [first, second], next: "https://central.example/fhir?_getpages=abc&_getpagesoffset=2")))
    }

    @Test("The last page has no next link, and an empty searchset has no resources")
    func lastAndEmptyPages() throws {
        let empty = try Fixtures.json("""
            {"resourceType": "Bundle", "type": "searchset", "total": 0,
             "link": [{"relation": "self", "url": "https://central.example/fhir/MedicationDispense"}]}
            """)
        #expect(FHIRMapping.searchPage(empty) == .success(SearchPage(resources: [], next: nil)))
    }

    @Test("A page that is not a searchset, or has a malformed entry or link, is refused")
    func refusals() throws {
        let batch = try Fixtures.json(#"{"resourceType": "Bundle", "type": "batch-response"}"#)
        #expect(FHIRMapping.searchPage(batch)
                == .failure(FHIRFormatError(#"Bundle.type must be "searchset", not "batch-response""#)))
        let noResource = try Fixtures.json(#"{"resourceType": "Bundle", "type": "searchset", "entry": [{"search": {}}]}"#)
        #expect(FHIRMapping.searchPage(noResource)
                == .failure(FHIRFormatError("Bundle.entry[0] has no resource with a resourceType")))
        let badEntry = try Fixtures.json(#"{"resourceType": "Bundle", "type": "searchset", "entry": {}}"#)
        #expect(FHIRMapping.searchPage(badEntry) == .failure(FHIRFormatError("Bundle.entry must be an array")))
        let badLink = try Fixtures.json(#"{"resourceType": "Bundle", "type": "searchset", "link": [{"relation": "next"}]}"#)
        #expect(FHIRMapping.searchPage(badLink) == .failure(FHIRFormatError("Bundle.link[0] needs relation and url")))
    }
}
