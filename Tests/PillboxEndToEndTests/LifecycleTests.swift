import Foundation
import PillboxTestSupport
import Testing

@Suite("Start-up, configuration and systemd integration", .serialized)
struct LifecycleTests {
    @Test("READY=1 is sent once the socket is up and STOPPING=1 on SIGTERM, which exits 0")
    func systemdNotifications() async throws {
        let probe = try TemporaryDirectory()
        defer { probe.remove() }
        let listener = try DatagramListener(path: probe.file("notify"))
        let fixture = try Fixture(environment: ["NOTIFY_SOCKET": listener.path])
        defer { fixture.directory.remove() }
        try await fixture.daemon.start()
        #expect(listener.receive(timeout: .seconds(5)) == "READY=1")
        #expect(try await fixture.daemon.stop() == 0)
        #expect(listener.receive(timeout: .seconds(5)) == "STOPPING=1")
        #expect(fixture.daemon.output.contains("Pillbox stopped"))
    }

    @Test("With WATCHDOG_USEC set, WATCHDOG=1 pings follow READY=1 at half the interval")
    func watchdogPings() async throws {
        let probe = try TemporaryDirectory()
        defer { probe.remove() }
        let listener = try DatagramListener(path: probe.file("notify"))
        let fixture = try Fixture(environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "400000"])
        defer { fixture.directory.remove() }
        try await fixture.daemon.start()
        var messages: [String] = []
        let started = ContinuousClock.now
        while messages.filter({ $0 == "WATCHDOG=1" }).count < 3, ContinuousClock.now - started < .seconds(10) {
            if let message = listener.receive(timeout: .seconds(2)) { messages.append(message) }
        }
        #expect(messages.first == "READY=1")
        #expect(messages.filter { $0 == "WATCHDOG=1" }.count >= 3)
        #expect(try await fixture.daemon.stop() == 0)
    }

    @Test("The real daemon's /metrics carries request counts and latencies next to the store gauges")
    func metricsFromTheRealDaemon() async throws {
        let (fixture, client) = try await Fixture.running()
        defer { Task { await fixture.finish(client) } }
        #expect(try await client.post("/v1/dispenses", Samples.dispense(id: "MET-1")).status == 201)
        let text = String(decoding: try await client.get("/metrics").body, as: UTF8.self)
        #expect(text.contains(#"hb_requests{http_route="/v1/dispenses",http_request_method="POST",http_response_status_code="201"} 1"#))
        #expect(text.contains("http_server_request_duration_bucket"))
        #expect(text.contains("pillbox_records 1.0"))
        #expect(text.contains("pillbox_outbox_pending 1.0"))
        #expect(text.contains("pillbox_database_bytes "))
        #expect(!text.contains("TREM50020312"))
    }

    @Test("--check-config prints the effective configuration; an unknown setting exits 78 naming it")
    func checkConfig() async throws {
        let fixture = try Fixture(config: ["limits": ["maxBodyBytes": 10_000]], extraArguments: ["--check-config"])
        defer { fixture.directory.remove() }
        #expect(try await fixture.daemon.runToExit() == 0)
        let printed = try #require(fixture.daemon.output.data(using: .utf8))
        let effective = try #require(try JSONSerialization.jsonObject(with: printed) as? [String: Any])
        #expect((effective["limits"] as? [String: Any])?["maxBodyBytes"] as? Int == 10_000)
        #expect(effective["keyFile"] as? String == fixture.keyPath)
        #expect(effective["socket"] as? String == fixture.daemon.socketPath)

        let bad = try Fixture(config: ["limits": ["maxBodySize": 1]], extraArguments: ["--check-config"])
        defer { bad.directory.remove() }
        #expect(try await bad.daemon.runToExit() == 78)
        #expect(bad.daemon.output.contains("setting limits.maxBodySize: unknown key"))
    }

    @Test("A non-socket file at the socket path is never replaced")
    func refusesToReplaceAFile() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        try Data("precious".utf8).write(to: URL(fileURLWithPath: fixture.daemon.socketPath))
        #expect(try await fixture.daemon.runToExit() == 74)
        #expect(fixture.daemon.output.contains("is not a socket"))
        #expect(try String(contentsOfFile: fixture.daemon.socketPath, encoding: .utf8) == "precious")
    }

    @Test("--dev creates a dev key with a warning on first start and warns again on restart")
    func devMode() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let daemon = DaemonProcess(directory: directory, arguments: ["--dev"])
        try await daemon.start()
        #expect(try await daemon.stop() == 0)
        let keyPath = directory.file("data/dev-master.key")
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        try await daemon.start()
        #expect(try await daemon.stop() == 0)
        #expect(daemon.output.components(separatedBy: "DEV MODE").count - 1 == 2)
    }
}

/// A bound datagram socket standing in for systemd's notification socket.
final class DatagramListener {
    let path: String
    let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { throw DaemonTestError(message: "bind failed") }
    }

    deinit { close(fd) }

    /// The next datagram as text, or nil after `timeout`.
    func receive(timeout: Duration) -> String? {
        let deadline = ContinuousClock.now + timeout
        var ready = false
        while !ready && ContinuousClock.now < deadline {
            var pollfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            ready = poll(&pollfd, 1, 50) > 0  // short polls: signals (SIGCHLD) interrupt poll
        }
        guard ready else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil
    }
}
