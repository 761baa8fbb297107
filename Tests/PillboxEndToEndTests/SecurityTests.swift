import Foundation
import PillboxClient
import PillboxCrypto
import PillboxTestSupport
import Testing

@Suite("Encryption at rest, keys and callers, end to end", .serialized)
struct SecurityTests {
    static let canaries = [
        "CANARYFAMILY7731", "CANARYGIVEN2290", "ZQXW98765432", "CANARYDISPLAY4471", "CANARYNOTE5521",
        "CANARYLOT88", "CANARYPDI4410", "CANARYDOSAGE6620", "CANARYRX3307", "CANARYPRESCRIBER19",
    ]

    static func canaryDispense(_ n: Int) -> [String: Any] {
        [
            "pharmacyDispenseId": "CANARYPDI4410-\(n)",
            "patient": ["nam": "zqxw 9876 5432", "familyName": "CANARYFAMILY7731", "givenName": "CANARYGIVEN2290",
                        "birthDate": "1961-07-14"],
            "medication": ["din": "02242903", "display": "CANARYDISPLAY4471"],
            "quantity": ["value": 30, "unit": "tab"],
            "dosageText": "CANARYDOSAGE6620", "note": "CANARYNOTE5521", "lot": "CANARYLOT88",
            "prescriptionId": "CANARYRX3307",
            "prescriber": ["license": "CANARYPRESCRIBER19", "familyName": "CANARYFAMILY7731"],
        ]
    }

    @Test("Canary strings written, read, corrected and refused never appear in the data folder or the daemon's output")
    func canarySearch() async throws {
        let (fixture, client) = try await Fixture.running()
        var firstID: String?
        for n in 0..<20 {
            let response = try await client.post("/v1/dispenses", Self.canaryDispense(n))
            #expect(response.status == 201)
            if n == 0 { firstID = response.json?["id"] as? String }
        }
        let profile = try await client.get("/v1/patients/ZQXW98765432/medications")
        #expect((profile.json?["medications"] as? [Any])?.count == 20)
        var invalid = Self.canaryDispense(99)
        invalid["patient"] = ["nam": "ZQXW98765432", "familyName": 12]
        invalid["CANARYFIELD"] = "CANARYFAMILY7731"
        #expect(try await client.post("/v1/dispenses", invalid).status == 400)
        #expect(try await client.get("/v1/patients/ZQXW98765432/medications?since=CANARYNOTE5521").status == 400)
        let recall = try await client.get("/v1/dispenses?din=02242903&lot=CANARYLOT88&limit=500")
        #expect((recall.json?["dispenses"] as? [Any])?.count == 20)
        let id = firstID
        var corrected = Self.canaryDispense(0)
        corrected["reason"] = "CANARYNOTE5521"
        #expect(try await client.post("/v1/dispenses/\(try #require(id))/corrections", corrected).status == 201)
        #expect(try await client.get("/v1/audit").status == 200)

        // Look while running (WAL and shared memory present) and after a clean stop.
        for phase in ["running", "stopped"] {
            if phase == "stopped" {
                #expect(try await fixture.daemon.stop() == 0)
            }
            let files = try fixture.dataFiles()
            #expect(files.keys.contains { $0.hasSuffix("pillbox.sqlite") })
            if phase == "running" { #expect(files.keys.contains { $0.hasSuffix("-wal") }) }
            for (path, bytes) in files {
                for canary in Self.canaries {
                    #expect(bytes.range(of: Data(canary.utf8)) == nil, "\(canary) found in \(path) (\(phase))")
                }
            }
            let output = fixture.daemon.output
            #expect(output.contains("Request served"), "the daemon logged requests at trace level")
            for canary in Self.canaries {
                #expect(!output.contains(canary), "\(canary) found in the daemon's output (\(phase))")
            }
        }
        fixture.directory.remove()
    }

    @Test("A wrong, missing or too-open key stops the daemon with exit 78 and touches nothing")
    func wrongKeyRefusesToStart() async throws {
        let (fixture, client) = try await Fixture.running()
        defer { fixture.directory.remove() }
        #expect(try await client.post("/v1/dispenses", Samples.dispense(id: "W-1")).status == 201)
        #expect(try await fixture.daemon.stop() == 0)
        let before = try fixture.dataFiles()

        let wrongKey = try TestKeys.write(.random(), to: fixture.directory.file("wrong.key"))
        let wrong = DaemonProcess(directory: fixture.directory, arguments: ["--key-file", wrongKey])
        #expect(try await wrong.runToExit() == 78)
        #expect(wrong.output.contains("does not open this data folder's keys"))
        #expect(try fixture.dataFiles() == before)

        let openKey = try TestKeys.write(.random(), to: fixture.directory.file("open.key"), mode: 0o644)
        let tooOpen = DaemonProcess(directory: fixture.directory, arguments: ["--key-file", openKey])
        #expect(try await tooOpen.runToExit() == 78)
        #expect(tooOpen.output.contains("chmod 600"))

        let none = DaemonProcess(directory: fixture.directory)
        #expect(try await none.runToExit() == 78)
        #expect(none.output.contains("no master key"))
        #expect(try fixture.dataFiles() == before)
    }

    @Test("Another user reaching the socket gets 403, and the refusal is in the audit trail")
    func otherUserForbidden() async throws {
        guard Nobody.available else {
            Issue.record(Comment(rawValue: Nobody.unavailable))
            return
        }
        // Let uid 65534 reach the socket at the file-system level, so that the role check decides.
        let (fixture, client) = try await Fixture.running(config: ["socketMode": "0666"], directoryMode: 0o755)
        defer { Task { await fixture.finish(client) } }
        #expect(try await Nobody.get(["/v1/status"], socket: fixture.daemon.socketPath) == ["403"])

        let audit = try await client.get("/v1/audit")
        let entries = try #require(audit.json?["entries"] as? [[String: Any]])
        let refused = entries.filter { $0["uid"] as? Int == 65534 }
        #expect(refused.count == 1)
        #expect(refused.first?["outcome"] as? Int == 403)
        #expect(refused.first?["role"] as? String == "none")
        #expect(refused.first?["action"] as? String == "GET /v1/status")
        #expect((refused.first?["pid"] as? Int ?? 0) > 0)
    }
}
