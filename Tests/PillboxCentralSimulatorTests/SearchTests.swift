import AsyncHTTPClient
import Foundation
import PillboxCentralSimulator
import Testing

@Suite("Search by subject identifier")
struct SearchTests {
    @Test("Seven dispenses of one patient come in three pages of _count=3, newest first, without duplicates")
    func paging() async throws {
        try await withCentral { central in
            // Seven for one patient (two share a time: ordered by id), two for another.
            let times = ["2026-11-01T10:00:00Z", "2026-11-03T10:00:00Z", "2026-11-02T10:00:00Z", "2026-11-05T09:00:00-05:00",
                         "2026-11-04T10:00:00Z", "2026-11-04T10:00:00Z", "2026-11-06T10:00:00.500Z"]
            var entries = times.enumerated().map { index, time in
                Dispenses.putEntry(Dispenses.resource(id: "p-\(index + 1)", handedOver: time))
            }
            entries.append(Dispenses.putEntry(Dispenses.resource(id: "q-1", patient: "OTHER1")))
            entries.append(Dispenses.putEntry(Dispenses.resource(id: "q-2", patient: "OTHER2")))
            #expect(try await central.batch(entries).status == 200)

            var url: String? = "\(central.fhirBase)/MedicationDispense?subject:identifier="
                + "https%3A%2F%2Fpillbox.example%2Fnam%7CTREM50020312&_count=3"
            var pages: [[String]] = []
            var selfLinks: [String] = []
            while let next = url, pages.count < 5 {
                let reply = try await central.send(.GET, next)
                #expect(reply.status == 200)
                #expect(reply.json["type"] as? String == "searchset")
                #expect(reply.json["total"] as? Int == 7)
                let entries = reply.json["entry"] as? [[String: Any]] ?? []
                pages.append(entries.compactMap { ($0["resource"] as? [String: Any])?["id"] as? String })
                for entry in entries {
                    let id = (entry["resource"] as? [String: Any])?["id"] as? String ?? ""
                    #expect(entry["fullUrl"] as? String == "\(central.fhirBase)/MedicationDispense/\(id)")
                    #expect((entry["search"] as? [String: Any])?["mode"] as? String == "match")
                }
                let links = reply.json["link"] as? [[String: Any]] ?? []
                selfLinks.append(links.first { $0["relation"] as? String == "self" }?["url"] as? String ?? "")
                url = links.first { $0["relation"] as? String == "next" }?["url"] as? String
            }
            #expect(pages == [["p-7", "p-4", "p-5"], ["p-6", "p-2", "p-3"], ["p-1"]])
            #expect(selfLinks == [
                "\(central.fhirBase)/MedicationDispense?subject:identifier=https%3A%2F%2Fpillbox.example%2Fnam%7CTREM50020312&_count=3",
                "\(central.fhirBase)/MedicationDispense?subject:identifier=https%3A%2F%2Fpillbox.example%2Fnam%7CTREM50020312&_count=3&_getpagesoffset=3",
                "\(central.fhirBase)/MedicationDispense?subject:identifier=https%3A%2F%2Fpillbox.example%2Fnam%7CTREM50020312&_count=3&_getpagesoffset=6",
            ])
            let stats = try await central.server.stats()
            #expect(stats.searches == 3)
            #expect(stats.requests == 4)
            #expect(stats.resources == 9)
        }
    }

    @Test("The default page holds up to 50, _count is capped at 500, and a bad _count is a 400")
    func countLimits() async throws {
        try await withCentral { central in
            let entries = (1...55).map { Dispenses.putEntry(Dispenses.resource(id: "c-\($0)")) }
            #expect(try await central.batch(entries).status == 200)
            let subject = "subject:identifier=\(Dispenses.system)%7CTREM50020312"
            let firstPage = try await central.send(.GET, "\(central.fhirBase)/MedicationDispense?\(subject)")
            #expect((firstPage.json["entry"] as? [Any])?.count == 50)
            #expect(firstPage.json["total"] as? Int == 55)
            let capped = try await central.send(.GET, "\(central.fhirBase)/MedicationDispense?\(subject)&_count=100000")
            #expect((capped.json["entry"] as? [Any])?.count == 55)
            let selfLink = (capped.json["link"] as? [[String: Any]])?.first?["url"] as? String
            #expect(selfLink?.hasSuffix("_count=500") == true)
            let bad = try await central.send(.GET, "\(central.fhirBase)/MedicationDispense?\(subject)&_count=-1")
            #expect(bad.status == 400)
            #expect(bad.json["resourceType"] as? String == "OperationOutcome")
            let none = try await central.send(.GET, "\(central.fhirBase)/MedicationDispense?subject:identifier=x%7Cnobody")
            #expect(none.json["total"] as? Int == 0)
            #expect(none.json["entry"] == nil)
        }
    }
}
