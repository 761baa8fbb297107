import Foundation
import Hummingbird
import HummingbirdTesting
import PillboxAPI
import PillboxModel
import PillboxStore
import PillboxTestSupport
import PillboxWire
import Testing

/// A central record stand-in for the checks: fixed entries, a fixed `asOf`, reachable or not.
struct CheckCentral: CentralRecordView {
    var entries: [CentralDispense]
    var answered: Bool
    var asOf: Date?
    var configured = true

    func status() -> CentralStatus { CentralStatus(configured: configured, reachable: configured ? answered : nil) }
    func profile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile {
        CentralProfile(dispenses: entries, configured: configured, reachable: answered, asOf: asOf)
    }
    func cachedProfile(nam: String, localDispenseIDs: Set<String>) async -> CentralProfile {
        CentralProfile(dispenses: entries, configured: configured, reachable: false, asOf: asOf)
    }
    func requestSync() {}

    /// Another pharmacy's fill of the sample DIN, handed over on `when`, 30 days' supply.
    static func otherPharmacyFill(_ when: String, rx: String = "RX-SHARED") -> CentralDispense {
        CentralDispense(resourceID: "pbx-elsewhere", status: "completed",
                        medication: .init(din: "02242903", display: "Metformin", substanceCode: "A10BA02"),
                        quantity: .init(value: 60), daysSupply: 30, whenHandedOver: when, prescriptionId: rx, pharmacy: "0099")
    }
}

@Suite("POST /v1/checks and the findings of a write")
struct CheckRouteTests {
    static let now = Timestamps.parseRFC3339("2026-11-25T15:00:00Z")!

    static func harness(_ central: any CentralRecordView = LocalOnlyCentral()) throws -> APIHarness {
        try APIHarness(now: { now }, central: central)
    }

    @Test("A check finds an early refill from a central fill elsewhere, records nothing, and says the cache's age")
    func centralEarlyRefillFromCache() async throws {
        let central = CheckCentral(entries: [CheckCentral.otherPharmacyFill("2026-11-20T12:00:00Z")], answered: false,
                                   asOf: Self.now.addingTimeInterval(-7_200))
        let harness = try Self.harness(central)
        try await harness.test { client in
            var body = Samples.dispense(id: "CHK-1", handedOver: "2026-11-25T10:00:00-05:00")
            body["prescriptionId"] = "RX-SHARED"
            let response = try await client.post("/v1/checks", body)
            #expect(response.status == .ok)
            let findings = try #require(response.json["findings"] as? [[String: Any]])
            #expect(findings.map { $0["type"] as? String } == ["early-refill", "same-prescription-elsewhere"])
            #expect(findings.first?["severity"] as? String == "warning")
            #expect(findings.first?["message"] as? String
                == "Early refill: 1 earlier fill of this DIN still has up to 83 % of the days' supply left.")
            let fill = try #require((findings.first?["dispenses"] as? [[String: Any]])?.first)
            #expect(fill["id"] as? String == "pbx-elsewhere")
            #expect(fill["source"] as? String == "central")
            #expect(fill["pharmacy"] as? String == "0099")
            #expect(fill["date"] as? String == "2026-11-20T12:00:00.000Z")
            #expect(fill["quantity"] as? Double == 60)
            #expect(fill["daysSupply"] as? Int == 30)
            let coverage = try #require(response.json["coverage"] as? [String: Any])
            #expect(coverage["central"] as? String == "cache")
            #expect(coverage["ageSeconds"] as? Int == 7_200)
            #expect(coverage["stale"] as? Bool == false)
            #expect(coverage["asOf"] as? String == Timestamps.format(Self.now.addingTimeInterval(-7_200)))
            #expect((response.json["skippedChecks"] as? [[String: Any]])?.map { $0["reason"] as? String } == ["no-substance-code"])
            // Nothing recorded.
            let profile = try await client.get("/v1/patients/TREM50020312/medications")
            #expect((profile.json["medications"] as? [[String: Any]])?.map { $0["source"] as? String } == ["central"])
        }
    }

    @Test("Messages follow Accept-Language: French when preferred, English otherwise")
    func french() async throws {
        let harness = try Self.harness()
        try await harness.test { client in
            _ = try await client.post("/v1/dispenses", Samples.dispense(id: "FR-1", handedOver: "2026-11-24T10:00:00-05:00"))
            let body = ByteBuffer(bytes: Samples.json(Samples.dispense(id: "FR-2", handedOver: "2026-11-25T10:00:00-05:00")))
            let french = try await client.execute(uri: "/v1/checks", method: .post,
                                                  headers: [.contentType: "application/json", .acceptLanguage: "fr-CA, en;q=0.8"],
                                                  body: body)
            #expect((french.json["findings"] as? [[String: Any]])?.first?["message"] as? String
                == "Renouvellement hâtif : 1 service antérieur de ce DIN a encore jusqu'à 97 % de la durée de traitement.")
            let english = try await client.execute(uri: "/v1/checks", method: .post,
                                                   headers: [.contentType: "application/json", .acceptLanguage: "fr;q=0.5, en"],
                                                   body: body)
            #expect((english.json["findings"] as? [[String: Any]])?.first?["message"] as? String
                == "Early refill: 1 earlier fill of this DIN still has up to 97 % of the days' supply left.")
        }
    }

    @Test("Without a central record the coverage says not-configured, never a clean bill")
    func notConfigured() async throws {
        let harness = try Self.harness()
        try await harness.test { client in
            let response = try await client.post("/v1/checks", Samples.dispense(id: "NC-1"))
            #expect(response.json["findings"] as? [Any] != nil)
            #expect((response.json["findings"] as? [Any])?.isEmpty == true)
            let coverage = try #require(response.json["coverage"] as? [String: Any])
            #expect(coverage["central"] as? String == "none")
            #expect(coverage["reason"] as? String == "not-configured")
            #expect(coverage["asOf"] == nil)
        }
    }

    @Test("Central unreachable and nothing cached: coverage none, reason unreachable")
    func unreachable() async throws {
        let harness = try Self.harness(CheckCentral(entries: [], answered: false, asOf: nil))
        try await harness.test { client in
            let coverage = try #require(try await client.post("/v1/checks", Samples.dispense(id: "UR-1")).json["coverage"] as? [String: Any])
            #expect(coverage["central"] as? String == "none")
            #expect(coverage["reason"] as? String == "unreachable")
        }
    }

    /// The 201 answer is spliced from the sealed plaintext and the checks' encoding, not
    /// encoded from `RecordedDispense`: it must be those bytes all the same.
    @Test("A write's answer is the record and its findings exactly as the encoder writes them, the record as a later read answers it")
    func writeAnswerBytes() async throws {
        let central = CheckCentral(entries: [CheckCentral.otherPharmacyFill("2026-11-20T12:00:00Z")], answered: true, asOf: Self.now)
        let harness = try Self.harness(central)
        try await harness.test { client in
            var body = Samples.dispense(id: "W-1", handedOver: "2026-11-25T10:00:00-05:00", note: "« é » \" \\ / \t")
            body["prescriptionId"] = "RX-SHARED"
            for (response, findings) in [(try await client.post("/v1/dispenses", body), ["early-refill", "same-prescription-elsewhere"]),
                                         (try await client.post("/v1/dispenses", Samples.dispense(id: "W-2", din: "00000001")), [])] {
                #expect(response.status == .created)
                let bytes = Array(buffer: response.body)
                let answer = try JSONCoding.decoder.decode(RecordedDispense.self, from: Data(bytes))
                #expect(answer.checks?.findings.map(\.type.rawValue) == findings)
                #expect(bytes == Array(try JSONCoding.encoder.encode(answer)))
                let read = try await client.get("/v1/dispenses/\(answer.record.id)")
                let checks = try #require(answer.checks)
                #expect(SealedJSON.merging(Array(buffer: read.body), Array(try JSONCoding.encoder.encode(checks))) == bytes)
                #expect(response.headers[.location] == "/v1/dispenses/\(answer.record.id)")
                #expect(response.headers[.contentType] == "application/json")
            }
        }
    }

    @Test("A write answers with its findings beside the record and is recorded all the same; a replay does not find itself")
    func writeCarriesFindings() async throws {
        let harness = try Self.harness(CheckCentral(entries: [], answered: true, asOf: Self.now))
        try await harness.test { client in
            let first = try await client.post("/v1/dispenses", Samples.dispense(id: "W-1", handedOver: "2026-11-20T10:00:00-05:00"))
            #expect(first.status == .created)
            #expect((first.json["findings"] as? [Any])?.isEmpty == true)
            #expect((first.json["coverage"] as? [String: Any])?["central"] as? String == "cache", "a write reads the cache only")
            let second = try await client.post("/v1/dispenses", Samples.dispense(id: "W-2", handedOver: "2026-11-25T10:00:00-05:00"))
            #expect(second.status == .created)
            #expect(second.json["version"] as? Int == 1)
            let firstID = try #require(first.json["id"] as? String)
            let findings = try #require(second.json["findings"] as? [[String: Any]])
            #expect(findings.map { $0["type"] as? String } == ["early-refill"])
            #expect((findings.first?["dispenses"] as? [[String: Any]])?.map { $0["id"] as? String } == [firstID])
            #expect((findings.first?["dispenses"] as? [[String: Any]])?.first?["source"] as? String == "local")
            let replay = try await client.post("/v1/dispenses", Samples.dispense(id: "W-1", handedOver: "2026-11-20T10:00:00-05:00"))
            #expect(replay.status == .ok)
            #expect((replay.json["findings"] as? [Any])?.isEmpty == true)
            let profile = try await client.get("/v1/patients/TREM50020312/medications")
            #expect((profile.json["medications"] as? [Any])?.count == 2)
        }
    }

    @Test("A correction's own check ignores the dispense it corrects; a cancelled fill no longer counts")
    func correctionsAndCancellations() async throws {
        let harness = try Self.harness()
        try await harness.test { client in
            let first = try await client.post("/v1/dispenses", Samples.dispense(id: "C-1", handedOver: "2026-11-24T10:00:00-05:00"))
            let id = try #require(first.json["id"] as? String)
            var correction = Samples.dispense(id: "C-1", handedOver: "2026-11-24T11:00:00-05:00")
            correction["reason"] = "time corrected"
            let corrected = try await client.post("/v1/dispenses/\(id)/corrections", correction)
            #expect(corrected.status == .created)
            #expect(corrected.json["version"] as? Int == 2)
            #expect((corrected.json["findings"] as? [Any])?.isEmpty == true)

            let check = Samples.dispense(id: "C-2", handedOver: "2026-11-25T10:00:00-05:00")
            #expect((try await client.post("/v1/checks", check).json["findings"] as? [Any])?.count == 1)
            #expect(try await client.post("/v1/dispenses/\(id)/cancel", ["status": "cancelled", "reason": "returned"]).status == .created)
            #expect((try await client.post("/v1/checks", check).json["findings"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("The body is validated as a dispense's, the role is dispense, and the check is audited as a read of the patient")
    func validationRoleAudit() async throws {
        let harness = try Self.harness()
        try await harness.test { client in
            var bad = Samples.dispense(id: "V-1")
            bad["medication"] = ["din": "02242903", "display": "X", "substanceCode": "A10B"]
            let refused = try await client.post("/v1/checks", bad)
            #expect(refused.status == .badRequest)
            #expect(refused.json["type"] as? String == "https://pillbox.local/problems/validation")
            harness.as(APIHarness.reader)
            #expect(try await client.post("/v1/checks", Samples.dispense(id: "V-2")).status == .forbidden)
            harness.as(APIHarness.dispenser)
            #expect(try await client.post("/v1/checks", Samples.dispense(id: "V-3")).status == .ok)
            try await harness.dependencies.auditLog.flush()
            let entries = try await harness.store.auditEntries(since: nil, limit: 10)
            #expect(entries.map(\.action) == ["POST /v1/checks", "POST /v1/checks", "POST /v1/checks"])
            #expect(entries.map(\.outcome) == [400, 403, 200])
            #expect(entries.last?.patientRef != nil)
            #expect(try await harness.store.profile(nam: "TREM50020312", since: nil, limit: 10).entries.isEmpty)
        }
    }

    @Test("Accept-Language negotiation", arguments: [
        (nil, Language.en), ("fr", .fr), ("fr-CA", .fr), ("en-CA,fr;q=0.9", .en), ("fr-CA, en;q=0.8", .fr),
        ("fr;q=0.5, en;q=0.5", .en), ("de, fr;q=0.1", .fr), ("*, fr;q=0.9", .en), ("de", .en), ("fr;q=0", .en),
        ("FR-ca", .fr),
    ] as [(String?, Language)])
    func negotiation(header: String?, expected: Language) {
        #expect(Language.negotiate(acceptLanguage: header) == expected)
    }
}
