import Foundation
import PillboxClient

/// Clients that misbehave on purpose, for the hostile-client tests and drill.
package enum HostileClient {
    /// The patient whose profile page is large (see `seedLargeProfile`).
    package static let nam = "TREM50020312"

    /// The request a slow reader sends: the large profile page, kept alive.
    package static let profileRequest = "GET /v1/patients/\(nam)/medications?limit=500 HTTP/1.1\r\nHost: x\r\n\r\n"

    /// Configuration keys a daemon needs for `seedLargeProfile` (notes of 100,000 characters).
    package static var largeNoteLimits: [String: Any] { ["maxLongText": 100_000, "maxBodyBytes": 262_144] }

    /// Records `records` dispenses for `nam`, each with a note of 90,000 characters, so that
    /// the profile page is about `records` × 91 KB: larger than a Unix socket's buffers
    /// when `records` ≥ 4. Returns the page's size in bytes.
    package static func seedLargeProfile(_ client: LocalClient, records: Int) async throws -> Int {
        for index in 0..<records {
            let body = Samples.dispense(id: "BIG-\(index)", note: String(repeating: "n", count: 90_000))
            let response = try await client.send("POST", "/v1/dispenses", body: Samples.json(body))
            guard response.status == 201 else {
                throw DaemonTestError(message: "seeding the large profile: status \(response.status)")
            }
        }
        return try await client.send("GET", "/v1/patients/\(nam)/medications?limit=500").body.count
    }
}

extension RawSocket {
    /// True when the other end closed the connection within `timeout` (pending data is
    /// read and dropped); false when it is still open.
    package func peerClosed(within timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let remaining = deadline - ContinuousClock.now
            let ms = max(0, Int32(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000))
            var pollfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pollfd, 1, ms) > 0 else { return false }
            let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if n == 0 { return true }
            if n < 0 { return errno != EAGAIN && errno != EWOULDBLOCK }
        }
    }
}
