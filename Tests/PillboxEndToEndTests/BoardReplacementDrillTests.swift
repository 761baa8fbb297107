import Foundation
import PillboxClient
import PillboxTestSupport
import Testing

/// The replaced-board drill (firmware-notes/README.md, "Replacing a dead board"): dispenses
/// uploaded, a backup, more dispenses (some uploaded, some corrections), the board dies; a new
/// empty box gets the backup and the escrowed key, starts against the central record and
/// uploads. The central record ends with exactly one resource per dispense, each at the
/// latest version the restored store knows (or at a version the old box sent after the
/// backup, for dispenses the restored store does not know).
@Suite("Replaced-board drill: backup, new empty box, restore, upload", .serialized)
struct BoardReplacementDrillTests {
    static func daemon(_ directory: TemporaryDirectory, key: String, central: SimulatorProcess) throws -> DaemonProcess {
        let config: [String: Any] = [
            "central": [
                "url": central.fhirBase, "pharmacySystem": "https://pharmacy.example/ids/0042", "pharmacyId": "0042",
                "startJitterSeconds": 0, "backoffInitialSeconds": 0.1, "backoffMaxSeconds": 0.5, "idlePollSeconds": 0.2,
                "prefetch": ["recentDays": 0],
            ],
            "backup": ["folders": ["/tmp"]],
        ]
        let configPath = directory.file("pillbox.json")
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        return DaemonProcess(directory: directory, arguments: ["--key-file", key, "--config", configPath])
    }

    static func record(_ client: LocalClient, _ id: String) async throws -> String {
        let response = try await client.send("POST", "/v1/dispenses", body: Samples.json(Samples.dispense(id: id)))
        guard response.status == 201, let recordID = response.json?["id"] as? String else {
            throw DaemonTestError(message: "recording \(id) answered \(response.status)")
        }
        return recordID
    }

    static func correct(_ client: LocalClient, _ id: String, recordID: String) async throws {
        var body = Samples.dispense(id: id)
        body["daysSupply"] = 90
        body["reason"] = "days supply"
        let response = try await client.send("POST", "/v1/dispenses/\(recordID)/corrections", body: Samples.json(body))
        guard response.status == 201 else { throw DaemonTestError(message: "correcting \(id) answered \(response.status)") }
    }

    /// The record-version of every resource at the simulator, by pharmacyDispenseId.
    static func centralVersions(_ central: SimulatorProcess) async throws -> (count: Int, versions: [String: Int]) {
        let resources = try await central.resources()
        var versions: [String: Int] = [:]
        for item in resources {
            let resource = item["resource"] as? [String: Any] ?? [:]
            let dispenseID = ((resource["identifier"] as? [[String: Any]])?.first?["value"] as? String) ?? "?"
            versions[dispenseID] = (resource["extension"] as? [[String: Any]])?
                .first { ($0["url"] as? String)?.hasSuffix("record-version") == true }?["valueInteger"] as? Int
        }
        return (resources.count, versions)
    }

    @Test("the central record ends with one resource per dispense at the restored store's latest version")
    func replacedBoard() async throws {
        let site = try TemporaryDirectory()
        defer { site.remove() }
        let escrowedKey = try TestKeys.write(.random(), to: site.file("escrowed-master.key"))
        let central = SimulatorProcess(directory: site)
        try await central.start()
        defer { Task { await central.stop() } }
        let oldBoard = try TemporaryDirectory()
        defer { oldBoard.remove() }
        let old = try Self.daemon(oldBoard, key: escrowedKey, central: central)
        try await old.start()
        let client = old.client()

        // 30 dispenses uploaded.
        var ids: [String: String] = [:]
        for n in 0..<30 { ids["P-\(n)"] = try await Self.record(client, "P-\(n)") }
        _ = try await OutageDrillTests.waitForDrain(old)
        // The central record goes down: 10 new dispenses and 5 corrections wait in the queue.
        try await central.setMode(#"{"mode":"down"}"#)
        for n in 0..<10 { ids["E-\(n)"] = try await Self.record(client, "E-\(n)") }
        for n in 0..<5 { try await Self.correct(client, "P-\(n)", recordID: ids["P-\(n)"]!) }

        // The nightly backup, to the second disk.
        let backups = site.file("usb")
        try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: false)
        let taken = try await BackupEndToEndTests.pillbox(["backup", backups, "--keep", "7", "--json", "--socket", old.socketPath])
        #expect(taken.code == 0, "\(taken.err)")
        let backup = try #require((try JSONSerialization.jsonObject(with: Data(taken.out.utf8)) as? [String: Any])?["path"] as? String)

        // The next day: the queue drains, 10 more dispenses are uploaded...
        try await central.setMode(#"{"mode":"up"}"#)
        for n in 0..<10 { ids["C-\(n)"] = try await Self.record(client, "C-\(n)") }
        _ = try await OutageDrillTests.waitForDrain(old)
        // ...then, during another outage, 5 corrections and 5 dispenses never leave the box before it dies.
        try await central.setMode(#"{"mode":"down"}"#)
        for n in 5..<10 { try await Self.correct(client, "P-\(n)", recordID: ids["P-\(n)"]!) }
        for n in 0..<5 { ids["D-\(n)"] = try await Self.record(client, "D-\(n)") }
        try await old.kill9()
        try await central.setMode(#"{"mode":"up"}"#)
        let beforeRestore = try await central.stats()["entriesCreated"] as? Int
        #expect(beforeRestore == 50)

        // A new, empty box: restore the backup with the escrowed key, start, upload.
        let newBoard = try TemporaryDirectory()
        defer { newBoard.remove() }
        let restored = try await BackupEndToEndTests.pillbox(["restore", backup, "--data-dir", newBoard.file("data"),
                                                              "--key-file", escrowedKey, "--json"])
        #expect(restored.code == 0, "\(restored.err)")
        let outcome = try JSONSerialization.jsonObject(with: Data(restored.out.utf8)) as? [String: Any]
        #expect(outcome?["records"] as? Int == 40)
        #expect(outcome?["pendingUploads"] as? Int == 15)
        let new = try Self.daemon(newBoard, key: escrowedKey, central: central)
        try await new.start()
        _ = try await OutageDrillTests.waitForDrain(new)
        let status = try await OutageDrillTests.status(new)
        #expect(status["records"] as? Int == 40)
        #expect(status["deadLetters"] as? Int == 0)

        // The latest version of each dispense the restored store knows.
        var known: [String: Int] = [:]
        for (dispenseID, recordID) in ids where !dispenseID.hasPrefix("C-") && !dispenseID.hasPrefix("D-") {
            let record = try await new.client().send("GET", "/v1/dispenses/\(recordID)").json
            known[dispenseID] = record?["version"] as? Int
        }
        #expect(known.count == 40)
        let (count, versions) = try await Self.centralVersions(central)
        #expect(count == 50, "one resource per dispense the central record ever got")
        let wrong = known.filter { versions[$0.key] != $0.value }
        #expect(wrong.isEmpty, "not at the restored store's latest version: \(wrong.sorted { $0.key < $1.key }.prefix(5))")
        #expect((0..<5).allSatisfy { versions["P-\($0)"] == 2 })
        #expect((5..<10).allSatisfy { versions["P-\($0)"] == 1 }, "corrections lost with the board were never sent")
        #expect((0..<10).allSatisfy { versions["C-\($0)"] == 1 })
        #expect((0..<5).allSatisfy { versions["D-\($0)"] == nil })
        #expect(try await central.stats()["entriesCreated"] as? Int == 50, "no resource created twice")
        #expect(try await new.stop() == 0)
    }
}
