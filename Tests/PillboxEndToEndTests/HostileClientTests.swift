import Foundation
import PillboxClient
import PillboxTestSupport
import Testing

/// One client must never lock out the others (issue 6, section 1): slow readers, idle
/// floods and a greedy process, against the real daemon over its real socket.
@Suite("Hostile clients over the real socket", .serialized)
struct HostileClientTests {
    static func config(_ limits: [String: Any]) -> [String: Any] {
        ["limits": HostileClient.largeNoteLimits.merging(limits) { $1 }]
    }

    @Test("Slow readers holding every slot are cut at the response timeout; a well-behaved client is served meanwhile")
    func slowReadersAreCut() async throws {
        let (fixture, client) = try await Fixture.running(config: Self.config([
            "maxConnections": 8, "maxConnectionsPerPeer": 64, "responseTimeoutSeconds": 15, "idleTimeoutSeconds": 60,
        ]))
        defer { Task { await fixture.finish(client) } }
        let pageSize = try await HostileClient.seedLargeProfile(client, records: 6)
        #expect(pageSize > 500_000)

        // Eight slow readers (the soft cap) ask for the page and never read it. Each is busy
        // (never closed to make room) once its response has started: wait for each status
        // line rather than a fixed time, or a loaded daemon lets the client's connection close
        // a reader whose request it has not read yet.
        let readers = try (0..<8).map { _ in try RawSocket(path: fixture.daemon.socketPath) }
        for reader in readers { reader.send(HostileClient.profileRequest) }
        let requested = ContinuousClock.now
        let heads = readers.map { $0.receive(atLeast: 12, timeout: .seconds(10)) }
        #expect(heads.map { RawSocket.status(of: $0) } == Array(repeating: 200, count: 8))
        let started = ContinuousClock.now

        // A well-behaved client gets every answer while they hold their slots (before the
        // response timeout cuts them).
        var answered = 0
        for _ in 0..<15 {
            if try await client.get("/v1/status").status == 200 { answered += 1 }
        }
        #expect(answered == 15)
        #expect(ContinuousClock.now < requested + .seconds(15), "answered only after the slow readers were cut")

        // Each reader was sent the start of the page and then cut at about 15 s after its
        // response started (long, so that a loaded machine still answers the client first):
        // read after that, it holds part of the page, and the end of the connection.
        try await Task.sleep(until: started + .milliseconds(15_600))
        let reading = ContinuousClock.now
        for (reader, head) in zip(readers, heads) {
            let received = head + reader.receive(timeout: .seconds(3))
            #expect(RawSocket.status(of: received) == 200)
            #expect(received.count < pageSize, "the whole page was sent: the reader was not cut")
        }
        #expect(ContinuousClock.now - reading < .seconds(1), "a reader was still connected")
        #expect(fixture.daemon.output.contains("Response not taken in time; connection closed"))
        #expect(fixture.daemon.output.contains("limit=limits.responseTimeoutSeconds"))
        #expect(try await client.get("/v1/health").status == 200)
    }

    @Test("A flood of idle connections beyond every cap does not keep a new client waiting")
    func idleFloodDoesNotBlock() async throws {
        let (fixture, client) = try await Fixture.running(config: Self.config([
            "maxConnections": 4, "maxOpenConnections": 16, "maxConnectionsPerPeer": 1000, "idleTimeoutSeconds": 60,
        ]))
        defer { Task { await fixture.finish(client) } }
        let idle = try (0..<40).map { _ in try RawSocket(path: fixture.daemon.socketPath) }
        // All 40 accepted: 36 closed to keep 4 (else a late one could push out the client's own).
        let closedBefore = try await Self.closed(idle, reaching: 36)
        #expect(closedBefore == 36)

        let started = ContinuousClock.now
        let answer = try await client.get("/v1/health")
        #expect(answer.status == 200)
        #expect(ContinuousClock.now - started < .milliseconds(500))

        // At most 4 connections are kept: the client's and the 3 idle ones it left room for.
        // (The one it closed was chosen before it was served; its close may land a little later.)
        let closed = try await Self.closed(idle, reaching: 37)
        #expect(closed == 37)
        #expect(fixture.daemon.output.contains("Connection closed to make room for a new one"))
        #expect(fixture.daemon.output.contains("connection.reason=connection-limit"))
        #expect(!fixture.daemon.output.contains("Connection refused"))
    }

    @Test("A process over its own connection cap loses its idle connections, then is refused with 503; others are served")
    func perPeerCap() async throws {
        let (fixture, client) = try await Fixture.running(config: Self.config([
            "maxConnections": 64, "maxConnectionsPerPeer": 4, "responseTimeoutSeconds": 30,
        ]))
        defer { Task { await fixture.finish(client) } }
        // Seeded by a client whose pooled connection is gone before the counting starts.
        do { _ = try await HostileClient.seedLargeProfile(fixture.daemon.client(), records: 6) }
        try await Task.sleep(for: .milliseconds(300))

        // Four idle connections of this process, then a fifth: the oldest idle one makes room.
        // Each is known to the daemon before the next opens: it was answered once (a socket's
        // connect returns before the daemon accepts it, so a fixed wait is not enough when the
        // machine is loaded). A pooled connection the seeding client still held would be the
        // oldest idle one, closed by the fourth, never one of these.
        var idle: [RawSocket] = []
        for _ in 0..<4 {
            let socket = try RawSocket(path: fixture.daemon.socketPath)
            #expect(socket.exchange(Self.health) == 200)
            idle.append(socket)
        }
        let fifth = try RawSocket(path: fixture.daemon.socketPath)
        #expect(fifth.exchange(Self.health) == 200)
        #expect(try await Self.closed(idle, reaching: 1) == 1)
        #expect(fixture.daemon.output.contains("connection.reason=peer-limit"))
        idle.removeAll()

        // Four slow readers of this process: all busy once their responses started, so a
        // fifth connection is refused. (Opening them closes the fifth above, the oldest idle.)
        let readers = try (0..<4).map { _ in try RawSocket(path: fixture.daemon.socketPath) }
        for reader in readers { reader.send(HostileClient.profileRequest) }
        for reader in readers { #expect(RawSocket.status(of: reader.receive(atLeast: 12, timeout: .seconds(10))) == 200) }
        let refused = try RawSocket(path: fixture.daemon.socketPath)
        refused.send("GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        let answer = refused.receive(timeout: .seconds(5))
        #expect(RawSocket.status(of: answer) == 503)
        let text = String(decoding: answer, as: UTF8.self)
        #expect(text.contains("https://pillbox.local/problems/too-many-connections"))
        #expect(text.lowercased().contains("retry-after: 1"))
        let pid = ProcessInfo.processInfo.processIdentifier
        #expect(fixture.daemon.output.contains("Connection refused: too many connections"))
        #expect(fixture.daemon.output.contains("peer.pid=\(pid)"))

        // Another process of the same user is served at once.
        let curl = try Self.curl(socket: fixture.daemon.socketPath, path: "/v1/health")
        #expect(curl == "200")
        _ = fifth
    }

    /// A keep-alive health request, to make a raw connection known to the daemon.
    static let health = "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"

    /// How many of `sockets` the daemon closed, once that reaches `count` or after 10 s: a
    /// close decided before a request was served can land a little after its answer.
    static func closed(_ sockets: [RawSocket], reaching count: Int) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(10)
        var closed = sockets.filter { $0.peerClosed(within: .zero) }.count
        while closed < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            closed = sockets.filter { $0.peerClosed(within: .zero) }.count
        }
        return closed
    }

    /// Runs curl (a separate process, so a separate peer) and returns the status it printed.
    static func curl(socket: String, path: String) throws -> String {
        try Spawn.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
                                        "--unix-socket", socket, "http://localhost\(path)"]).out
    }
}
