import Foundation
import PillboxClient
import PillboxTestSupport
import Testing

@Suite("Limits over the real socket: body, headers, time, connections", .serialized)
struct LimitsTests {
    static var config: [String: Any] { [
        "limits": ["maxBodyBytes": 4096, "maxHeaderBytes": 2048, "requestTimeoutSeconds": 1,
                   "idleTimeoutSeconds": 30, "maxConnections": 2],
    ] }

    @Test("An oversized body gets 413 and the daemon keeps serving")
    func oversizedBody() async throws {
        let (fixture, client) = try await Fixture.running(config: Self.config)
        defer { Task { await fixture.finish(client) } }
        let big = try await client.post("/v1/dispenses", Samples.dispense(id: "B-1", note: String(repeating: "x", count: 5000)))
        #expect(big.status == 413)
        #expect(big.json?["type"] as? String == "https://pillbox.local/problems/body-too-large")
        #expect(try await client.post("/v1/dispenses", Samples.dispense(id: "B-2")).status == 201)
        #expect(try await client.get("/v1/status").json?["records"] as? Int == 1)
    }

    @Test("Oversized headers get 431, a request that stalls gets 408, and others are still served")
    func headersAndTimeouts() async throws {
        let (fixture, client) = try await Fixture.running(config: Self.config)
        defer { Task { await fixture.finish(client) } }
        let huge = try RawSocket(path: fixture.daemon.socketPath)
        huge.send("GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Filler: \(String(repeating: "a", count: 4000))\r\n\r\n")
        let hugeAnswer = huge.receive(timeout: .seconds(5))
        #expect(RawSocket.status(of: hugeAnswer) == 431)

        let slow = try RawSocket(path: fixture.daemon.socketPath)
        slow.send("POST /v1/dispenses HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"pharm")
        let started = ContinuousClock.now
        let slowAnswer = slow.receive(timeout: .seconds(5))
        #expect(RawSocket.status(of: slowAnswer) == 408)
        #expect(ContinuousClock.now - started < .seconds(4))

        let partialHead = try RawSocket(path: fixture.daemon.socketPath)
        partialHead.send("GET /v1/sta")
        #expect(RawSocket.status(of: partialHead.receive(timeout: .seconds(5))) == 408)

        #expect(try await client.get("/v1/health").status == 200)
    }

    @Test("An idle connection is closed after the idle timeout, before and after a request")
    func idleTimeout() async throws {
        var config = Self.config
        config["limits"] = ["idleTimeoutSeconds": 1, "maxConnections": 8]
        let (fixture, client) = try await Fixture.running(config: config)
        defer { Task { await fixture.finish(client) } }
        let silent = try RawSocket(path: fixture.daemon.socketPath)
        let started = ContinuousClock.now
        #expect(silent.receive(timeout: .seconds(5)).isEmpty, "nothing is sent to a silent connection")
        #expect(ContinuousClock.now - started < .seconds(4), "closed by the idle timeout, not by the test's own timeout")

        let kept = try RawSocket(path: fixture.daemon.socketPath)
        kept.send("GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        let keptStarted = ContinuousClock.now
        let answer = kept.receive(timeout: .seconds(5))  // reads until the server closes the kept-alive connection
        #expect(RawSocket.status(of: answer) == 200)
        #expect(ContinuousClock.now - keptStarted < .seconds(4), "the kept-alive connection was closed once idle")
    }

    @Test("A connection beyond the limit is served at once: the longest-idle connection makes room")
    func connectionLimit() async throws {
        let (fixture, client) = try await Fixture.running(config: Self.config)
        defer { Task { await fixture.finish(client) } }
        // Two idle connections fill the limit of 2. Each is answered once first, so the daemon
        // has counted both before the third arrives (connect() returns before it accepts). They
        // connect one after the other: the fixture's own client connection may still count as
        // busy for an instant after its last answer, and busy connections are never closed, so
        // two holders arriving together could have the second close the first, fresh and idle.
        var holders: [RawSocket] = []
        for _ in 0..<2 {
            let holder = try RawSocket(path: fixture.daemon.socketPath)
            #expect(holder.exchange(HostileClientTests.health) == 200)
            holders.append(holder)
        }
        let third = try RawSocket(path: fixture.daemon.socketPath)
        third.send("GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let started = ContinuousClock.now
        #expect(RawSocket.status(of: third.receive(timeout: .seconds(5))) == 200)
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(try await HostileClientTests.closed(holders, reaching: 1) == 1)
    }
}
