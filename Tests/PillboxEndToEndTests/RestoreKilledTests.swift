import Foundation
import PillboxClient
import PillboxCrypto
import PillboxModel
import PillboxTestSupport
import PillboxWire
import Testing

/// `pillbox restore` killed (SIGKILL, as a power cut would stop it) at many moments: after
/// each kill the daemon starts on a whole data folder, the old one or the restored one, never
/// on a missing or half-made one.
@Suite("Restore killed midway")
struct RestoreKilledTests {
    @Test("After kill -9 of the tool at 13 moments the daemon starts with 5 records (old) or 3 (restored); a last run restores")
    func killedMidway() async throws {
        let key = SecretKey.random()
        let fixture = try Fixture(config: BackupEndToEndTests.config, key: key)
        defer { fixture.directory.remove() }
        try await fixture.daemon.start()
        let client = fixture.daemon.client()
        _ = try await KeyEndToEndTests.seed(client, count: 3)
        let destination = fixture.directory.file("backups")
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: false)
        let backup = try await BackupAfterRewrapTests.backup(into: destination, socket: fixture.daemon.socketPath, masterKey: key)
        for n in 0..<2 { #expect(try await client.post("/v1/dispenses", Samples.dispense(id: "LATER-\(n)")).status == 201) }
        #expect(try await fixture.daemon.stop() == 0)

        let dataDir = fixture.directory.file("data")
        let restore = ["restore", backup, "--data-dir", dataDir, "--key-file", fixture.keyPath]
        var seen: [Int] = []
        for delay in [0, 15, 40, 60, 80, 90, 100, 110, 120, 140, 180, 260, 400] {
            try await ToolTests.pillboxKilled(restore, after: delay)
            #expect(FileManager.default.fileExists(atPath: dataDir + "/pillbox.sqlite"), "killed after \(delay) ms")
            try await fixture.daemon.start()
            let records = try await fixture.daemon.client().call(LocalAPI.status).value.records
            #expect(records == 5 || records == 3, "killed after \(delay) ms: \(records) records")
            seen.append(records)
            #expect(try await fixture.daemon.stop() == 0)
        }
        // seen (one run here): 5 up to 80 ms, 3 from 120 ms: the kills straddle the swap.
        let finished = try await ToolTests.pillbox(restore)
        #expect(finished.code == 0, "\(finished.err)")
        try await fixture.daemon.start()
        #expect(try await fixture.daemon.client().call(LocalAPI.status).value.records == 3)
        #expect(try await fixture.daemon.stop() == 0)
        // Every replaced folder is kept beside the data folder, and no staging folder is left
        // but one that a kill cut before its swap (the daemon never uses it).
        let siblings = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path)
        #expect(siblings.filter { $0.hasPrefix("data.replaced-") }.count >= 1, "\(siblings.sorted()), seen \(seen)")
    }
}
