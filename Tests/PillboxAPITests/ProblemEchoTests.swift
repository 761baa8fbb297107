import Foundation
import Hummingbird
import HummingbirdTesting
import PillboxAPI
import PillboxTestSupport
import Testing

@Suite("Problems never echo what the caller sent")
struct ProblemEchoTests {
    /// NAM-shaped text a dispensing program could put in a key or a value by mistake.
    static let secrets = ["ZQXW98765432", "ZQXW 9876 5432", "QWER12345678", "QWER", "ZQXW", "98765432", "12345678"]

    static func expectNoSecrets(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = String(buffer: response.body)
        for secret in secrets {
            #expect(!text.contains(secret), "\(secret) echoed: \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test("A NAM-shaped unknown key and value, at the top and nested, in a record and a correction body")
    func unknownKeysAreNotEchoed() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            var body = Samples.dispense(id: "ECHO-1")
            body["ZQXW98765432"] = "ZQXW 9876 5432"
            body["patient"] = ["nam": "TREM50020312", "QWER12345678": ["ZQXW98765432": 1]]
            let created = try await client.post("/v1/dispenses", body)
            #expect(created.status == .badRequest)
            let errors = try #require(created.json["errors"] as? [[String: String]])
            #expect(errors.map { $0["path"] } == ["$", "patient"])
            Self.expectNoSecrets(created)

            let id = try #require(try await client.post("/v1/dispenses", Samples.dispense(id: "ECHO-2")).json["id"] as? String)
            var correction = Samples.dispense(id: "ECHO-2")
            correction["reason"] = "typo"
            correction["ZQXW 9876 5432"] = "QWER12345678"
            let corrected = try await client.post("/v1/dispenses/\(id)/corrections", correction)
            #expect(corrected.status == .badRequest)
            Self.expectNoSecrets(corrected)

            let cancelled = try await client.post("/v1/dispenses/\(id)/cancel",
                                                  ["status": "cancelled", "reason": "r", "QWER12345678": "ZQXW98765432"])
            #expect(cancelled.status == .badRequest)
            #expect((cancelled.json["errors"] as? [[String: String]])?.map { $0["path"] } == ["$"])
            Self.expectNoSecrets(cancelled)
        }
        #expect(try await harness.store.statistics().recordCount == 1)
    }

    @Test("A 409 does not echo the submitted pharmacyDispenseId, nor a retry's submitted seq")
    func conflictsDoNotEchoSubmittedIDs() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            _ = try await client.post("/v1/dispenses", Samples.dispense(id: "ZQXW98765432"))
            let conflict = try await client.post("/v1/dispenses", Samples.dispense(id: "ZQXW98765432", din: "00000019"))
            #expect(conflict.status == .conflict)
            Self.expectNoSecrets(conflict)

            let retry = try await client.execute(uri: "/v1/outbox/98765432/retry", method: .post)
            #expect(retry.status == .conflict)
            #expect(retry.json["type"] as? String == "https://pillbox.local/problems/not-dead-lettered")
            Self.expectNoSecrets(retry)
        }
    }

    @Test("A profile NAM longer than 32 characters as sent (padded with spaces) is a 400 that does not echo it")
    func paddedPathNAMIsRefused() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            let padded = "ZQXW98765432" + String(repeating: "%20", count: 21)
            let response = try await client.get("/v1/patients/\(padded)/medications")
            #expect(response.status == .badRequest)
            #expect((response.json["errors"] as? [[String: String]])?.map { $0["path"] } == ["nam"])
            Self.expectNoSecrets(response)
            #expect(try await client.get("/v1/patients/ZQXW%209876%205432/medications").status == .ok)
        }
    }

    @Test("verify takes true or false; anything else is a 400 naming only the parameter")
    func verifyIsStrict() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            #expect(try await client.get("/v1/audit?verify=false").json["chain"] == nil)
            #expect(try await client.get("/v1/audit?verify=true").json["chain"] != nil)
            let bad = try await client.get("/v1/audit?verify=ZQXW98765432")
            #expect(bad.status == .badRequest)
            #expect((bad.json["errors"] as? [[String: String]]) == [["path": "verify", "message": "must be true or false"]])
            Self.expectNoSecrets(bad)
        }
    }
}
