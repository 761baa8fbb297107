import Foundation
import GRDB
import PillboxCrypto
import PillboxModel
import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Encryption at rest")
struct StoreEncryptionTests {
    static let canaries = [
        "CANARYFAMILY7731", "ZQXW98765432", "CANARYNOTE5521", "CANARYLOT88", "CANARYPDI4410", "CANARYREASON3301",
        "CANARYCANCEL6620", "Metformin", "Gagnon", "RX-CANARYPDI4410", "02242903",
    ]

    /// Every canary found in any file of `directory`, as "file: canary".
    static func leaks(in directory: TemporaryDirectory) throws -> [String] {
        try directory.canaryLeaks(canaries)
    }

    @Test("No identifying text of a dispense, correction, cancellation or audit entry is on disk in clear")
    func noCanaryOnDisk() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        let body = Samples.dispense(id: "CANARYPDI4410", nam: "zqxw 9876 5432", lot: "CANARYLOT88", note: "CANARYNOTE5521",
                                    familyName: "CANARYFAMILY7731")
        let record = try await Fixture.create(store, try Fixture.dispense(body))
        #expect(record.dispense.patient.nam == "ZQXW98765432")
        _ = try await store.correctDispense(id: record.id, correction: try Fixture.correction(body, reason: "CANARYREASON3301"),
                                            now: Fixture.now, audit: Fixture.changeAudit)
        _ = try await store.cancelDispense(id: record.id, cancellation: try Fixture.cancellation("cancelled", reason: "CANARYCANCEL6620"),
                                           now: Fixture.now, audit: Fixture.changeAudit)
        try await store.appendAudit([AuditEvent(at: Fixture.now, uid: 1, pid: 2, role: "reader", action: "profile.read",
                                                outcome: 200, patientNAM: "ZQXW98765432")])
        // Open: the new pages are still in the WAL.
        let filesWhileOpen = directory.allFiles().map { ($0 as NSString).lastPathComponent }
        #expect(filesWhileOpen.contains("pillbox.db-wal"))
        #expect(try Self.leaks(in: directory) == [])

        try store.close()

        #expect(try Self.leaks(in: directory) == [])
        #expect(try Fixture.withDatabase(directory) { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM dispense_version") } == 3)
    }

    @Test("The leak check itself finds text written in clear")
    func leakCheckFindsClearText() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Data("header CANARYNOTE5521 trailer".utf8).write(to: URL(fileURLWithPath: directory.file("plain.bin")))
        #expect(try Self.leaks(in: directory) == ["plain.bin: CANARYNOTE5521"])
    }
}
