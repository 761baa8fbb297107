import Foundation
import Synchronization

/// A TCP listener on 127.0.0.1 that accepts every connection, reads whatever arrives and never
/// answers: a central record that black-holes requests. It counts the connections accepted and
/// the HTTP/1.1 request heads received, and keeps their request lines, so that a test can say
/// exactly how many requests reached it. One thread polls every socket; `stop()` closes them.
package final class BlackHoleListener: Sendable {
    /// The port it listens on.
    package let port: Int
    private let listenFD: Int32
    private let state = Mutex(State())
    private let finished = DispatchSemaphore(value: 0)

    private struct State {
        var connections = 0
        var requestLines: [String] = []
        var stopping = false
    }

    /// Starts listening on an ephemeral loopback port.
    package init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw DaemonTestError(message: "socket() failed") }
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 16) == 0, let port = Self.port(of: descriptor) else {
            close(descriptor)
            throw DaemonTestError(message: "cannot listen on a loopback port: errno \(errno)")
        }
        listenFD = descriptor
        self.port = port
        let thread = Thread { [self] in self.serve() }
        thread.start()
    }

    /// Connections accepted so far.
    package var connections: Int { state.withLock(\.connections) }

    /// HTTP request heads received so far (their request lines: method, target, version).
    package var requestLines: [String] { state.withLock(\.requestLines) }

    /// Stops accepting, closes every connection, and waits for the thread to end.
    package func stop() {
        let already = state.withLock { state -> Bool in
            defer { state.stopping = true }
            return state.stopping
        }
        if !already { finished.wait() }
    }

    /// Waits until `condition` holds (polling every 20 ms, at most `limit`); true if it did.
    package func eventually(limit: Duration = .seconds(10), _ condition: (BlackHoleListener) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !condition(self) {
            if ContinuousClock.now > deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// A loopback port where nothing listens: bound to an ephemeral port, then closed
    /// without listening, so connecting to it is refused.
    package static func closedPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw DaemonTestError(message: "socket() failed") }
        defer { close(descriptor) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, let port = port(of: descriptor) else { throw DaemonTestError(message: "bind failed: errno \(errno)") }
        return port
    }

    private func serve() {
        var clients: [Int32: [UInt8]] = [:]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !state.withLock(\.stopping) {
            var fds = [pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)]
                + clients.keys.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&fds, nfds_t(fds.count), 50) > 0 else { continue }
            for entry in fds where entry.revents != 0 {
                if entry.fd == listenFD {
                    let client = accept(listenFD, nil, nil)
                    if client >= 0 {
                        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                        clients[client] = []
                        state.withLock { $0.connections += 1 }
                    }
                    continue
                }
                let n = recv(entry.fd, &buffer, buffer.count, 0)
                if n <= 0 {
                    close(entry.fd)
                    clients[entry.fd] = nil
                    continue
                }
                clients[entry.fd, default: []].append(contentsOf: buffer[0..<n])
                take(heads: &clients[entry.fd, default: []])
            }
        }
        for client in clients.keys { close(client) }
        close(listenFD)
        finished.signal()
    }

    /// Counts and drops every complete request at the start of `bytes`: its head, and the
    /// body its `Content-Length` announces. An incomplete request waits for more bytes.
    private func take(heads bytes: inout [UInt8]) {
        while let line = HTTPRequestFraming.takeRequest(from: &bytes) {
            state.withLock { $0.requestLines.append(line) }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private static func port(of descriptor: Int32) -> Int? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return result == 0 ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }
}
