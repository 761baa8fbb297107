import AsyncHTTPClient
import Foundation
@testable import PillboxCentralSimulator
import Testing

@Suite("Search with POST _search: the subject stays out of every URL")
struct PostSearchTests {
    static let form = "application/x-www-form-urlencoded"

    @Test("POST _search with a form body pages like GET, and its self and next links carry a token, never the NAM")
    func postedSearchPages() async throws {
        try await withCentral { central in
            var entries = (1...5).map { Dispenses.putEntry(Dispenses.resource(id: "s-\($0)", handedOver: "2026-11-0\($0)T10:00:00Z")) }
            entries.append(Dispenses.putEntry(Dispenses.resource(id: "o-1", patient: "OTHER1")))
            #expect(try await central.batch(entries).status == 200)

            let body = "subject%3Aidentifier=https%3A%2F%2Fpillbox.example%2Fnam%7CTREM50020312&_count=2"
            var reply = try await central.send(.POST, "\(central.fhirBase)/MedicationDispense/_search",
                                               json: Data(body.utf8), contentType: Self.form)
            var pages: [[String]] = []
            var links: [String] = []
            while pages.count < 5 {
                #expect(reply.status == 200)
                #expect(reply.json["total"] as? Int == 5)
                pages.append((reply.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["id"] as? String })
                let pageLinks = reply.json["link"] as? [[String: Any]] ?? []
                links += pageLinks.compactMap { $0["url"] as? String }
                guard let next = pageLinks.first(where: { $0["relation"] as? String == "next" })?["url"] as? String else { break }
                reply = try await central.send(.GET, next)
            }
            #expect(pages == [["s-5", "s-4"], ["s-3", "s-2"], ["s-1"]])
            #expect(links.count == 5)
            for link in links {
                #expect(!link.contains("TREM50020312"), "\(link)")
                #expect(!link.contains("subject"), "\(link)")
                #expect(link.contains("_getpages="), "\(link)")
            }
            #expect(try await central.server.stats().searches == 3)
        }
    }

    @Test("POST _search refuses another media type (415) and an empty subject (400); an unknown page token is 410")
    func postedSearchRefusals() async throws {
        try await withCentral { central in
            let json = try await central.send(.POST, "\(central.fhirBase)/MedicationDispense/_search",
                                              json: Data(#"{"subject":"x"}"#.utf8), contentType: "application/fhir+json")
            #expect(json.status == 415)
            let empty = try await central.send(.POST, "\(central.fhirBase)/MedicationDispense/_search",
                                               json: Data("subject%3Aidentifier=x%7C".utf8), contentType: Self.form)
            #expect(empty.status == 400)
            let gone = try await central.send(.GET, "\(central.fhirBase)/MedicationDispense?_getpages=nope&_count=2")
            #expect(gone.status == 410)
            #expect(gone.json["resourceType"] as? String == "OperationOutcome")
        }
    }

    @Test("Form fields decode percent-encoding and +, the first of a repeated name winning")
    func formFields() {
        #expect(FHIREndpoints.formFields("a%3Ab=c%7Cd+e&_count=2&_count=3&flag") == ["a:b": "c|d e", "_count": "2", "flag": ""])
    }
}
