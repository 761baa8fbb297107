import Foundation
import PillboxClient
import PillboxTestSupport
import Testing

/// `pillbox backup` and `pillbox restore` against the real daemon and real data folders.
@Suite("Backup and restore with the real daemon and tool", .serialized)
struct BackupEndToEndTests {
    /// Backups allowed anywhere under /tmp, where the test folders are.
    static var config: [String: Any] { ["backup": ["folders": ["/tmp"]]] }

    /// Runs the built `pillbox` on a thread of its own (the writers keep the task pool);
    /// returns its exit code, stdout and stderr.
    static func pillbox(_ arguments: [String]) async throws -> (code: Int32, out: String, err: String) {
        try await ChildProcess.run(DaemonProcess.executablePath("pillbox"), arguments, environment: ["LANG": "C"])
    }

    /// Every file under `folder` with its bytes.
    static func snapshot(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let name = enumerator?.nextObject() as? String {
            let path = (folder as NSString).appendingPathComponent(name)
            if let data = FileManager.default.contents(atPath: path) { files[name] = data }
        }
        return files
    }

    @Test("a backup under 16 writers restores to a store holding every record acknowledged before it began")
    func backupUnderLoadRestores() async throws {
        let fixture = try Fixture(config: Self.config)
        defer { fixture.directory.remove() }
        try await fixture.daemon.start()
        let socket = ["--socket", fixture.daemon.socketPath]
        let destination = fixture.directory.file("backups")
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: false)

        // 16 writers record without pause; the backup starts while they run.
        let acknowledged = AcknowledgedIDs()
        let stop = AcknowledgedIDs()
        let writers = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<16 {
                    group.addTask {
                        let client = fixture.daemon.client()
                        var n = 0
                        while await stop.isEmpty {
                            let id = "LOAD-\(worker)-\(n)"
                            let response = try await client.send("POST", "/v1/dispenses", body: Samples.json(Samples.dispense(id: id)))
                            guard response.status == 201, let recordID = response.json?["id"] as? String else {
                                throw DaemonTestError(message: "\(id) answered \(response.status)")
                            }
                            await acknowledged.add(recordID)
                            n += 1
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        // Let the writers get going (at least 30 acknowledged records, at most 60 s).
        let warmUp = ContinuousClock.now
        while await acknowledged.all.count < 30 && ContinuousClock.now - warmUp < .seconds(60) {
            try await Task.sleep(for: .milliseconds(50))
        }
        let before = await acknowledged.all
        let backup = try await Self.pillbox(["backup", destination, "--keep", "2", "--json"] + socket)
        await stop.add("stop")
        try await writers.value
        #expect(backup.code == 0, "\(backup.err)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(backup.out.utf8)) as? [String: Any])
        let path = try #require(answer["path"] as? String)
        #expect(answer["verified"] as? Bool == true)
        let records = try #require(answer["records"] as? Int)
        #expect(records >= before.count)
        #expect(before.count > 0)
        let total = await acknowledged.all.count
        #expect(records <= total)
        print("backup under load: \(before.count) records acknowledged before the backup began, \(records) in the backup, "
            + "\(total) acknowledged by the end; backup took \(answer["seconds"] ?? "?") s (debug build, 16 writers)")
        // Nothing but the complete backup and the destination's lock is left in DEST.
        let names = try FileManager.default.contentsOfDirectory(atPath: destination).sorted()
        #expect(names == [".pillbox-backup.lock", (path as NSString).lastPathComponent])

        // The status reports it.
        let status = try await fixture.daemon.client().send("GET", "/v1/status").json ?? [:]
        #expect(status["lastBackupPath"] as? String == path)
        #expect(status["lastBackupRecords"] as? Int == records)
        #expect(status["backupOverdue"] as? Bool == false)
        #expect(try await fixture.daemon.stop() == 0)

        // Restore into a new data folder and start a daemon on it.
        let newBox = try TemporaryDirectory()
        defer { newBox.remove() }
        let restored = try await Self.pillbox(["restore", path, "--data-dir", newBox.file("data"), "--key-file", fixture.keyPath, "--json"])
        #expect(restored.code == 0, "\(restored.err)")
        let outcome = try JSONSerialization.jsonObject(with: Data(restored.out.utf8)) as? [String: Any]
        #expect(outcome?["records"] as? Int == records)
        #expect(outcome?["keptAside"] == nil)
        let daemon = DaemonProcess(directory: newBox, arguments: ["--key-file", fixture.keyPath])
        try await daemon.start()
        let client = daemon.client()
        let after = try await client.send("GET", "/v1/status").json ?? [:]
        #expect(after["records"] as? Int == records)
        var missing: [String] = []
        for id in before where try await client.send("GET", "/v1/dispenses/\(id)").status != 200 { missing.append(id) }
        #expect(missing.isEmpty, "\(missing.count) acknowledged records missing, e.g. \(missing.prefix(3))")
        #expect(try await daemon.stop() == 0)
    }

    @Test("restore is refused while a daemon runs, and a damaged backup or a wrong key is refused changing nothing")
    func refusals() async throws {
        let fixture = try Fixture(config: Self.config)
        defer { fixture.directory.remove() }
        try await fixture.daemon.start()
        let client = fixture.daemon.client()
        for n in 0..<20 {
            #expect(try await client.send("POST", "/v1/dispenses", body: Samples.json(Samples.dispense(id: "REF-\(n)"))).status == 201)
        }
        let destination = fixture.directory.file("backups")
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: false)
        let taken = try await Self.pillbox(["backup", destination, "--json", "--socket", fixture.daemon.socketPath])
        #expect(taken.code == 0, "\(taken.err)")
        let path = try #require((try JSONSerialization.jsonObject(with: Data(taken.out.utf8)) as? [String: Any])?["path"] as? String)
        let data = fixture.directory.file("data")

        // A daemon holds the folder.
        let running = try await Self.pillbox(["restore", path, "--data-dir", data, "--key-file", fixture.keyPath])
        #expect(running.code == 75)
        #expect(running.err.contains("pillboxd is using"))
        #expect(try await fixture.daemon.stop() == 0)
        let untouched = Self.snapshot(data)

        // Wrong master key.
        let otherKey = try TestKeys.write(.random(), to: fixture.directory.file("other.key"))
        let wrongKey = try await Self.pillbox(["restore", path, "--data-dir", data, "--key-file", otherKey])
        #expect(wrongKey.code == 65)
        #expect(wrongKey.err.contains("does not open this backup's keys"))

        // A flipped byte in the copy.
        let database = (path as NSString).appendingPathComponent("pillbox.sqlite")
        let original = try Data(contentsOf: URL(fileURLWithPath: database))
        var flipped = original
        flipped[flipped.count / 2] ^= 0x01
        try flipped.write(to: URL(fileURLWithPath: database))
        let damaged = try await Self.pillbox(["restore", path, "--data-dir", data, "--key-file", fixture.keyPath])
        #expect(damaged.code == 65)
        #expect(damaged.err.contains("does not match its manifest"))
        try original.write(to: URL(fileURLWithPath: database))

        // A manifest whose checksum was edited.
        let manifestPath = (path as NSString).appendingPathComponent("manifest.json")
        let manifest = try String(contentsOfFile: manifestPath, encoding: .utf8)
        let sha = try #require((try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as? [String: Any])?["sha256"] as? String)
        try manifest.replacingOccurrences(of: sha, with: String(repeating: "0", count: 64))
            .write(toFile: manifestPath, atomically: true, encoding: .utf8)
        let edited = try await Self.pillbox(["restore", path, "--data-dir", data, "--key-file", fixture.keyPath])
        #expect(edited.code == 65)
        try manifest.write(toFile: manifestPath, atomically: true, encoding: .utf8)

        #expect(Self.snapshot(data) == untouched, "a refused restore changed the data folder")
        let parent = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path)
        #expect(!parent.contains { $0.contains("restoring") || $0.contains("replaced") })

        // Now it goes through, and the current folder is kept aside, byte for byte.
        let done = try await Self.pillbox(["restore", path, "--data-dir", data, "--key-file", fixture.keyPath, "--json"])
        #expect(done.code == 0, "\(done.err)")
        let aside = try #require((try JSONSerialization.jsonObject(with: Data(done.out.utf8)) as? [String: Any])?["keptAside"] as? String)
        #expect(Self.snapshot(aside) == untouched)
        try await fixture.daemon.start()
        #expect(try await fixture.daemon.client().send("GET", "/v1/status").json?["records"] as? Int == 20)
        #expect(try await fixture.daemon.stop() == 0)
    }

    @Test("a destination the daemon cannot use is refused, and nothing is left behind")
    func badDestination() async throws {
        let (fixture, _) = try await Fixture.running(config: Self.config)
        defer { fixture.directory.remove() }
        let socket = ["--socket", fixture.daemon.socketPath]
        let missing = try await Self.pillbox(["backup", fixture.directory.file("nowhere")] + socket)
        #expect(missing.code == 1)
        #expect(missing.err.contains("is not an existing folder"))
        let outside = try await Self.pillbox(["backup", "/"] + socket)
        #expect(outside.code == 1)
        #expect(outside.err.contains("backup.folders"))
        #expect(!((try? FileManager.default.contentsOfDirectory(atPath: "/")) ?? []).contains { $0.hasPrefix("pillbox-backup") })
        let inside = try await Self.pillbox(["backup", fixture.directory.file("data")] + socket)
        #expect(inside.code == 1)
        #expect(inside.err.contains("inside the data folder"))
        #expect(try await fixture.daemon.stop() == 0)
    }
}

/// Ids collected by concurrent writers.
actor AcknowledgedIDs {
    private var ids: [String] = []
    func add(_ id: String) { ids.append(id) }
    var all: [String] { ids }
    var isEmpty: Bool { ids.isEmpty }
}
