import Foundation
import Hummingbird
import HummingbirdTesting
import PillboxAPI
import PillboxModel
import PillboxTestSupport
import PillboxWire
import Testing

@Suite("POST /v1/verify")
struct VerifyRouteTests {
    static func report(_ response: TestResponse) throws -> VerifyReport {
        try JSONCoding.decoder.decode(VerifyReport.self, from: Data(buffer: response.body))
    }

    @Test("An admin gets the whole store's report; scope=audit checks the chain only; a bad scope is a 400")
    func adminReport() async throws {
        let harness = try APIHarness()
        try await harness.test { client in
            #expect(try await client.post("/v1/dispenses", Samples.dispense(id: "V-1")).status == .created)
            let all = try await client.execute(uri: "/v1/verify", method: .post)
            #expect(all.status == .ok)
            #expect(try Self.report(all) == VerifyReport(scope: "all", problems: [], checked: VerifyCounts(
                dispenses: 1, versions: 1, outboxEntries: 1, centralProfiles: 0, auditEntries: 1)))
            // The first verify request's own entry was queued, and is flushed before the audit check.
            let audit = try await client.execute(uri: "/v1/verify?scope=audit", method: .post)
            #expect(try Self.report(audit) == VerifyReport(scope: "audit", problems: [], checked: VerifyCounts(auditEntries: 2)))
            let bad = try await client.execute(uri: "/v1/verify?scope=everything", method: .post)
            #expect(bad.status == .badRequest)
        }
    }

    @Test("Dispense and read roles are refused")
    func othersRefused() async throws {
        let harness = try APIHarness()
        for peer in [APIHarness.dispenser, APIHarness.reader] {
            harness.as(peer)
            try await harness.test { client in
                let response = try await client.execute(uri: "/v1/verify", method: .post)
                #expect(response.status == .forbidden)
            }
        }
    }
}
