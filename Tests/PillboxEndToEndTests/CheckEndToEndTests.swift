import Foundation
import PillboxClient
import PillboxTestSupport
import Testing

/// The outage case the checks exist for: another pharmacy's fill is on the central record,
/// the profile was fetched (cached), then the central record goes down.
@Suite("Dispensing checks end to end: the real daemon and the central simulator", .serialized)
struct CheckEndToEndTests {
    static let nam = "CHEK50020312"

    /// Another pharmacy's fill of DIN 02242903, handed over `daysAgo` days ago, 30 days' supply.
    static func otherPharmacyFill(daysAgo: Double) -> [String: Any] {
        let handedOver = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-daysAgo * 86_400))
        return [
            "resourceType": "MedicationDispense", "id": "elsewhere-1", "status": "completed",
            "identifier": [["system": "https://pharmacy.example/ids/0099", "value": "F-77"]],
            "subject": ["identifier": ["system": "https://fhir.infoway-inforoute.ca/NamingSystem/ca-qc-patient-healthcare-id",
                                       "value": nam]],
            "medicationCodeableConcept": [
                "coding": [["system": "http://hl7.org/fhir/NamingSystem/ca-hc-din", "code": "02242903"],
                           ["system": "http://www.whocc.no/atc", "code": "A10BA02"]],
                "text": "Metformin 500 mg tablet",
            ],
            "performer": [["actor": ["type": "Organization", "identifier": ["value": "0099"]]]],
            "authorizingPrescription": [["identifier": ["system": "https://pharmacy.example/ids/0099", "value": "RX-9"]]],
            "quantity": ["value": 60], "daysSupply": ["value": 30, "unit": "d", "code": "d"],
            "whenHandedOver": handedOver,
        ]
    }

    @Test("The check still finds another pharmacy's fill from the cache while the central record is down, and says how old that is")
    func findsFromCacheDuringOutage() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let central = SimulatorProcess(directory: directory)
        try await central.start()
        #expect(try await central.putDispense(id: "elsewhere-1", resource: Self.otherPharmacyFill(daysAgo: 5)) == 201)

        let daemon = try OutageDrillTests.daemon(directory, central: central)
        try await daemon.start()
        let client = daemon.client()
        let profile = try await client.send("GET", "/v1/patients/\(Self.nam)/medications").json ?? [:]
        let fetched = try #require(profile["central"] as? [String: Any])
        #expect(fetched["reachable"] as? Bool == true)
        let asOf = try #require(fetched["asOf"] as? String)

        await central.stop()
        try await Task.sleep(for: .seconds(1))
        var body = Samples.dispense(id: "E2E-CHK-1", nam: Self.nam, handedOver: ISO8601DateFormatter().string(from: Date()))
        body["prescriptionId"] = "RX-9"
        body["medication"] = ["din": "02242903", "display": "Metformin 500 mg tablet", "substanceCode": "a10ba02"]
        let answer = try await client.send("POST", "/v1/checks", body: Samples.json(body))
        #expect(answer.status == 200)
        let json = try #require(answer.json)
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(findings.map { $0["type"] as? String } == ["early-refill", "same-prescription-elsewhere"])
        let fill = try #require((findings.first?["dispenses"] as? [[String: Any]])?.first)
        #expect(fill["id"] as? String == "elsewhere-1")
        #expect(fill["source"] as? String == "central")
        #expect(fill["pharmacy"] as? String == "0099")
        #expect(fill["daysSupply"] as? Int == 30)
        let coverage = try #require(json["coverage"] as? [String: Any])
        #expect(coverage["central"] as? String == "cache")
        #expect(coverage["asOf"] as? String == asOf)
        let age = try #require(coverage["ageSeconds"] as? Int)
        #expect(age >= 1 && age < 60)
        #expect(coverage["stale"] as? Bool == false)
        // Nothing was recorded by the check.
        let after = try await client.send("GET", "/v1/patients/\(Self.nam)/medications").json ?? [:]
        #expect((after["medications"] as? [[String: Any]])?.map { $0["source"] as? String } == ["central"])
        _ = try await daemon.stop()
    }
}
