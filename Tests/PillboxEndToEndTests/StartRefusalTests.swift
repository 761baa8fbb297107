import Foundation
import PillboxClient
import PillboxCrypto
import PillboxTestSupport
import Testing

@Suite("A refused start leaves the data folder, and any running daemon, alone", .serialized)
struct StartRefusalTests {
    /// Device and inode of a file, to see that it is the same file afterwards.
    static func identity(_ path: String) -> (UInt64, UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    @Test("A second start against a running daemon, with its key or a wrong one, is refused at the lock (74); -wal and -shm stay")
    func secondStartLeavesSidecars() async throws {
        let (fixture, client) = try await Fixture.running()
        defer { fixture.directory.remove() }
        #expect(try await client.post("/v1/dispenses", Samples.dispense(id: "LOCK-1")).status == 201)
        let database = fixture.directory.file("data/pillbox.sqlite")
        let sidecars = [database + "-wal", database + "-shm"]
        let before = sidecars.map(Self.identity)
        #expect(before.allSatisfy { $0 != nil }, "a running daemon has its -wal and -shm")

        let wrongKey = try TestKeys.write(.random(), to: fixture.directory.file("wrong.key"))
        for (name, key) in [("same key", fixture.keyPath), ("wrong key", wrongKey)] {
            let second = DaemonProcess(directory: fixture.directory, arguments: ["--key-file", key])
            #expect(try await second.runToExit() == 74, "\(name)")
            #expect(second.output.contains("another pillboxd is using the data folder"), "\(name)")
            // The key check never ran: a wrong key would have said so (and exited 78).
            #expect(!second.output.contains("does not open this data folder's keys"), "\(name)")
            let after = sidecars.map(Self.identity)
            #expect(zip(before, after).allSatisfy { $0?.0 == $1?.0 && $0?.1 == $1?.1 }, "\(name): -wal/-shm replaced or removed")
        }
        // The running daemon is unharmed: it writes and reads back.
        let created = try await client.post("/v1/dispenses", Samples.dispense(id: "LOCK-2"))
        #expect(created.status == 201)
        let id = try #require(created.json?["id"] as? String)
        #expect(try await client.get("/v1/dispenses/\(id)").status == 200)
        #expect(try await fixture.daemon.stop() == 0)
    }

    @Test("--dev against a data folder whose dev key is gone is refused (78) and writes no key: nothing changes")
    func devModeWritesNoKeyBeforeTheCheck() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        try await fixture.daemon.start()
        #expect(try await fixture.daemon.client().post("/v1/dispenses", Samples.dispense(id: "DEV-1")).status == 201)
        #expect(try await fixture.daemon.stop() == 0)
        let before = try fixture.dataFiles()

        let dev = DaemonProcess(directory: fixture.directory, arguments: ["--dev"])
        #expect(try await dev.runToExit() == 78)
        #expect(dev.output.contains("holds a database but no dev-master.key"))
        #expect(!FileManager.default.fileExists(atPath: fixture.directory.file("data/dev-master.key")))
        #expect(try fixture.dataFiles() == before)
    }

    @Test("A start refused for a wrong key removes the lock file it created itself")
    func refusedStartRemovesTheLockItCreated() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        try await fixture.daemon.start()
        #expect(try await fixture.daemon.stop() == 0)
        let lock = fixture.directory.file("data/pillbox.lock")
        try FileManager.default.removeItem(atPath: lock)
        let before = try fixture.dataFiles()
        let wrongKey = try TestKeys.write(.random(), to: fixture.directory.file("wrong.key"))
        let wrong = DaemonProcess(directory: fixture.directory, arguments: ["--key-file", wrongKey])
        #expect(try await wrong.runToExit() == 78)
        #expect(!FileManager.default.fileExists(atPath: lock))
        #expect(try fixture.dataFiles() == before)
    }

    @Test("A key file owned by another user stops the daemon with exit 78 and the chown fix",
          .enabled(if: geteuid() == 0, "chown to another uid needs root"))
    func keyOwnedByAnotherUserRefused() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        #expect(chown(fixture.keyPath, 65534, 65534) == 0)
        #expect(try await fixture.daemon.runToExit() == 78)
        #expect(fixture.daemon.output.contains("belongs to uid 65534"))
        #expect(fixture.daemon.output.contains("chown root: \(fixture.keyPath)"))
        #expect(!FileManager.default.fileExists(atPath: fixture.directory.file("data/pillbox.sqlite")))
    }
}
