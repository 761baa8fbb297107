import Foundation
import PillboxClient
import PillboxCrypto
import PillboxModel
import PillboxTestSupport
import PillboxWire
import Testing

@Suite("Keys: rotation and rewrap against the real daemon and tool", .serialized)
struct KeyEndToEndTests {
    /// Records `count` dispenses and returns them as the daemon reads them back, by id.
    static func seed(_ client: LocalClient, count: Int) async throws -> [String: DispenseRecord] {
        var records: [String: DispenseRecord] = [:]
        for n in 0..<count {
            let created = try await client.post("/v1/dispenses", Samples.dispense(id: "KEY-\(n)"))
            #expect(created.status == 201)
            let record = try created.decode(RecordedDispense.self)
            records[record.record.id] = try await client.call(LocalAPI.dispense(id: record.record.id)).value
        }
        return records
    }

    static func keys(_ client: LocalClient) async throws -> KeysResponse {
        try await client.call(LocalAPI.keys).value
    }

    @Test("A rotation killed with kill -9 at random points resumes at each restart and finishes; every record reads back, none under the old key")
    func rotationSurvivesKill9() async throws {
        let fixture = try Fixture(config: ["keys": ["rotationBatchSize": 4, "rotationPauseMilliseconds": 15]])
        defer { fixture.directory.remove() }
        try await fixture.daemon.start()
        var client = fixture.daemon.client()
        let records = try await Self.seed(client, count: 240)
        let before = try await Self.keys(client)
        let oldKey = try #require(before.keys.first { $0.purpose == "data" }?.id)
        #expect(before.rotation == nil)

        let started = try await client.call(LocalAPI.rotateKeys).value
        let newKey = try #require(started.rotation?.toKeyId)
        #expect(started.rotation?.fromKeyId == oldKey)
        #expect(started.rotation?.total == 240)
        // A second request while it runs: 409, nothing changed.
        let again = try await client.send("POST", "/v1/keys/rotate")
        #expect(again.status == 409)

        var random = SystemRandomNumberGenerator()
        var killedMidway = 0
        var lastRemaining = 240
        for _ in 0..<4 {
            try await Task.sleep(for: .milliseconds(Int.random(in: 30...400, using: &random)))
            let now = try await Self.keys(client)
            guard now.rotation?.state == "running" else { break }
            #expect((now.rotation?.remaining ?? 0) <= lastRemaining)
            lastRemaining = now.rotation?.remaining ?? 0
            try await fixture.daemon.kill9()
            killedMidway += 1
            try await fixture.daemon.start()
            client = fixture.daemon.client()
            // Every record reads back between the kills, whichever key it is under.
            for id in records.keys.shuffled().prefix(20) { #expect(try await client.call(LocalAPI.dispense(id: id)).value == records[id]) }
        }
        #expect(killedMidway >= 1, "the rotation finished before any kill; slow it down")

        let deadline = ContinuousClock.now + .seconds(120)
        var final = try await Self.keys(client)
        while final.rotation?.state == "running" && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            final = try await Self.keys(client)
        }
        #expect(final.rotation?.state == "finished")
        #expect(final.rotation?.remaining == 0 && final.rotation?.unreadable == 0)
        #expect(final.keys.filter { $0.purpose == "data" }.map(\.id) == [newKey])
        #expect(final.keys.allSatisfy { $0.state == "current" && $0.rows == nil })

        // A restart forgets the old key (it is gone from the table): every record still reads back.
        try await fixture.daemon.stop()
        try await fixture.daemon.start()
        client = fixture.daemon.client()
        for (id, record) in records { #expect(try await client.call(LocalAPI.dispense(id: id)).value == record) }
        #expect(try await Self.keys(client).keys.map(\.id).contains(oldKey) == false)
        try await fixture.daemon.stop()
    }

    @Test("keys status and rotate --wait in the tool: readable, and --json decodes into the wire type")
    func toolStatusAndRotate() async throws {
        let (fixture, client) = try await Fixture.running()
        defer { Task { await fixture.finish() } }
        _ = try await Self.seed(client, count: 5)
        let socket = ["--socket", fixture.daemon.socketPath]
        let status = try await ToolTests.pillbox(["keys", "status"] + socket)
        #expect(status.code == 0)
        #expect(status.out.contains("The data key was never rotated."))
        let rotate = try await ToolTests.pillbox(["keys", "rotate", "--wait"] + socket)
        #expect(rotate.code == 0, "\(rotate.err)")
        #expect(rotate.out.contains("5 payloads under"))
        #expect(rotate.out.contains("Last rotation:"))
        let json = try await ToolTests.pillbox(["keys", "status", "--json"] + socket)
        let keys = try JSONDecoder().decode(KeysResponse.self, from: Data(json.out.utf8))
        #expect(keys.rotation?.state == "finished" && keys.rotation?.rewritten == 5)
        #expect(keys.keys.count == 3)
    }

    @Test("rewrap: refused while the daemon runs and with a wrong key; killed midway then rerun, it finishes; the new key opens, the old one does not")
    func rewrapKilledMidway() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        try await fixture.daemon.start()
        let records = try await Self.seed(fixture.daemon.client(), count: 3)
        let newKey = SecretKey.random()
        let newKeyPath = try TestKeys.write(newKey, to: fixture.directory.file("new.key"))
        let wrongPath = try TestKeys.write(SecretKey.random(), to: fixture.directory.file("wrong.key"))
        let dataDir = fixture.directory.file("data")
        let rewrap = ["keys", "rewrap", "--data-dir", dataDir, "--new-key-file", newKeyPath, "--key-file"]

        let whileRunning = try await ToolTests.pillbox(rewrap + [fixture.keyPath])
        #expect(whileRunning.code == 75)
        #expect(whileRunning.err.contains("pillboxd is running"))
        try await fixture.daemon.stop()

        let database = fixture.directory.file("data/pillbox.sqlite")
        let untouched = try Data(contentsOf: URL(fileURLWithPath: database))
        let wrong = try await ToolTests.pillbox(rewrap + [wrongPath])
        #expect(wrong.code == 78)
        #expect(wrong.err.contains("nothing was changed"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == untouched)

        // kill -9 the tool at random points, then run it to its end.
        for delay in [0, 10, 30, 60, 90, 120, 160, 220, 300] {
            try await ToolTests.pillboxKilled(rewrap + [fixture.keyPath], after: delay)
        }
        let finished = try await ToolTests.pillbox(rewrap + [fixture.keyPath])
        #expect(finished.code == 0, "\(finished.err)")
        #expect(finished.out.contains("keys rewrapped") || finished.out.contains("Nothing to do: the new master key"))
        #expect(finished.out.contains("Escrow the new key"))
        let rerun = try await ToolTests.pillbox(rewrap + [fixture.keyPath])
        #expect(rerun.code == 0)
        #expect(rerun.out.contains("Nothing to do: the new master key (id \(newKey.keyID)) already opens this data folder."))

        // The old key no longer opens the folder (exit 78); the new one does, with every record.
        let old = DaemonProcess(directory: fixture.directory, arguments: ["--key-file", fixture.keyPath])
        #expect(try await old.runToExit() == 78)
        let daemon = DaemonProcess(directory: fixture.directory, arguments: ["--key-file", newKeyPath])
        try await daemon.start()
        for (id, record) in records { #expect(try await daemon.client().call(LocalAPI.dispense(id: id)).value == record) }
        #expect(try await Self.keys(daemon.client()).masterKeyId == newKey.keyID)
        try await daemon.stop()
    }
}
