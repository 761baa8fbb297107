import Foundation
import PillboxModel
import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Encryption at rest beyond records: central profiles and dead letters")
struct StoreSealedExtrasTests {
    static let canaries = ["ZQXW98765432", "CANARYCENTRAL5150", "CANARYOUTCOME7070", "CANARYDISPLAY4471"]

    /// Every canary found in any file of `directory`, as "file: canary".
    static func leaks(in directory: TemporaryDirectory) throws -> [String] {
        try directory.canaryLeaks(canaries)
    }

    @Test("A cached central profile and a dead letter's OperationOutcome, both echoing patient data, are sealed on disk")
    func cachedProfileAndOutcomeAreSealed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        _ = try await Fixture.create(store, try Fixture.dispense(id: "SEAL-1", nam: "ZQXW98765432"))
        let profile = Data(#"[{"patient":"ZQXW98765432","display":"CANARYCENTRAL5150"}]"#.utf8)
        try await store.cacheCentralProfile(nam: "ZQXW98765432", payload: profile, fetchedAt: Fixture.now)
        let batch = try await store.nextUploadBatch(limit: 10, now: Fixture.now)
        let seq = try #require(batch.items.first?.seq)
        let outcome: JSONValue = .object(["resourceType": .string("OperationOutcome"), "issue": .array([.object([
            "severity": .string("error"), "code": .string("invalid"),
            "diagnostics": .string("subject ZQXW98765432 unknown; CANARYOUTCOME7070"),
        ])])])
        try await store.recordUploadResults([(seq: seq, disposition: .deadLetter(summary: "HTTP 422 (invalid)", outcome: outcome))],
                                            now: Fixture.now)
        #expect(try Self.leaks(in: directory) == [])
        try store.close()
        #expect(try Self.leaks(in: directory) == [])

        // And both read back whole with the key.
        let reopened = try Fixture.open(directory)
        defer { try? reopened.close() }
        #expect(try await reopened.cachedCentralProfile(nam: "ZQXW98765432")?.payload == profile)
        #expect(try await reopened.outboxEntries(state: .failed, limit: 10).map(\.outcome) == [outcome])
    }
}
