import Foundation
import PillboxTestSupport

/// A bare TCP connection to 127.0.0.1, to see exactly what one connection gets.
enum TCPProbe {
    /// What one connection got.
    struct Result {
        /// Bytes the server sent before the connection ended.
        var received: Data
        /// True when the server ended the connection (EOF or reset) within the timeout.
        var closedByServer: Bool
    }

    /// Connects to `port`, sends `request`, reads until the server ends the connection or
    /// `timeout` passes.
    static func exchange(port: Int, request: String, timeout: Duration = .seconds(5)) throws -> Result {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw DaemonTestError(message: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw DaemonTestError(message: "connect to port \(port) failed: errno \(errno)") }
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var pollfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pollfd, 1, 50) > 0 else { continue }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return Result(received: received, closedByServer: true) }
            received.append(contentsOf: buffer[0..<n])
        }
        return Result(received: received, closedByServer: false)
    }
}
