import Foundation
import PillboxClient
import PillboxCrypto
import PillboxTestSupport
import Testing

/// The daemon checks each backup with the master key it started with. That key cannot go
/// stale while it runs: `keys rewrap` needs the data folder's lock, which the daemon holds,
/// and a daemon started after a rewrap either has the new key or does not start.
@Suite("Backups after a master key rewrap", .serialized)
struct BackupAfterRewrapTests {
    /// The `backup --json` answer's path, after checking it succeeded and named `masterKey`.
    static func backup(into destination: String, socket: String, masterKey: SecretKey) async throws -> String {
        let taken = try await BackupEndToEndTests.pillbox(["backup", destination, "--json", "--socket", socket])
        #expect(taken.code == 0, "\(taken.err)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(taken.out.utf8)) as? [String: Any])
        #expect(answer["verified"] as? Bool == true)
        #expect(answer["masterKeyId"] as? String == masterKey.keyID)
        return try #require(answer["path"] as? String)
    }

    @Test("rewrap is refused under a running daemon; after it, the old key does not start the daemon, and the restarted daemon's backup verifies under the new key and restores only with it")
    func backupAfterRewrap() async throws {
        let oldKey = SecretKey.random()
        let fixture = try Fixture(config: BackupEndToEndTests.config, key: oldKey)
        defer { fixture.directory.remove() }
        try await fixture.daemon.start()
        let records = try await KeyEndToEndTests.seed(fixture.daemon.client(), count: 3)
        let newKey = SecretKey.random()
        let newKeyPath = try TestKeys.write(newKey, to: fixture.directory.file("new.key"))
        let dataDir = fixture.directory.file("data")
        let destination = fixture.directory.file("backups")
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: false)
        let rewrap = ["keys", "rewrap", "--data-dir", dataDir, "--key-file", fixture.keyPath, "--new-key-file", newKeyPath]

        // While the daemon runs, its key table cannot be rewrapped under it.
        let refused = try await ToolTests.pillbox(rewrap)
        #expect(refused.code == 75)
        #expect(refused.err.contains("pillboxd is running on \(dataDir)"))
        let beforeRewrap = try await Self.backup(into: destination, socket: fixture.daemon.socketPath, masterKey: oldKey)
        #expect(try await fixture.daemon.stop() == 0)

        let done = try await ToolTests.pillbox(rewrap)
        #expect(done.code == 0, "\(done.err)")
        #expect(done.out.contains("3 keys rewrapped"))

        // A daemon given the old key refuses to start: it never runs with a key the folder no longer opens with.
        let configPath = fixture.directory.file("pillbox.json")
        let stale = DaemonProcess(directory: fixture.directory, arguments: ["--key-file", fixture.keyPath, "--config", configPath])
        #expect(try await stale.runToExit() == 78)

        // Restarted with the new key, with no other step, its backups verify and name the new key.
        let daemon = DaemonProcess(directory: fixture.directory, arguments: ["--key-file", newKeyPath, "--config", configPath])
        try await daemon.start()
        let afterRewrap = try await Self.backup(into: destination, socket: daemon.socketPath, masterKey: newKey)
        #expect(try await daemon.stop() == 0)

        // Each backup restores with the key it was taken under, and only with it.
        let wrong = try await BackupEndToEndTests.pillbox(["restore", afterRewrap, "--data-dir", fixture.directory.file("r"),
                                                          "--key-file", fixture.keyPath])
        #expect(wrong.code == 65)
        #expect(wrong.err.contains("does not open this backup's keys"))
        for (backup, keyPath) in [(afterRewrap, newKeyPath), (beforeRewrap, fixture.keyPath)] {
            let board = try TemporaryDirectory()
            defer { board.remove() }
            let restored = try await BackupEndToEndTests.pillbox(["restore", backup, "--data-dir", board.file("data"),
                                                                  "--key-file", keyPath])
            #expect(restored.code == 0, "\(restored.err)")
            let check = DaemonProcess(directory: board, arguments: ["--key-file", keyPath])
            try await check.start()
            for (id, record) in records {
                #expect(try await check.client().call(LocalAPI.dispense(id: id)).value == record)
            }
            #expect(try await check.stop() == 0)
        }
    }
}
