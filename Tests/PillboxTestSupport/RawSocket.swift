import Foundation

/// A bare Unix stream socket, for tests that must send malformed or slow requests.
package final class RawSocket: @unchecked Sendable {
    let fd: Int32

    /// Connects to `path`; throws when nothing listens there.
    package init(path: String) throws {
        // `fd` is set last: a class whose stored properties are all set runs `deinit` when its
        // init throws, which would close the descriptor a second time (by then perhaps another
        // thread's new socket).
        // Close-on-exec, as every descriptor the tests open: suites run in parallel with suites
        // that start processes, and a child that inherits a descriptor keeps its connection
        // (or its lock) open after the test has closed it.
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw DaemonTestError(message: "socket() failed") }
        var address = Self.address(path)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let error = errno
            close(descriptor)
            throw DaemonTestError(message: "connect(\(path)) failed: errno \(error)")
        }
        fd = descriptor
    }

    deinit { close(fd) }

    package static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes.prefix(raw.count - 1))
            raw[min(bytes.count, raw.count - 1)] = 0
        }
        return address
    }

    /// True when something accepts connections at `path`.
    package static func canConnect(_ path: String) -> Bool {
        (try? RawSocket(path: path)) != nil
    }

    /// Writes all of `data`.
    package func send(_ data: Data) {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n <= 0 { return }
                offset += n
            }
        }
    }

    package func send(_ text: String) { send(Data(text.utf8)) }

    /// Reads until the peer closes or `timeout` passes; returns what arrived.
    package func receive(timeout: Duration) -> Data {
        var received = Data()
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 65536)
        while ContinuousClock.now < deadline {
            var pollfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let remaining = deadline - ContinuousClock.now
            let ms = Int32(max(1, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000))
            guard poll(&pollfd, 1, ms) > 0 else { continue }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
        return received
    }

    /// The status code of the first HTTP response in `data`, if any.
    package static func status(of data: Data) -> Int? {
        guard let text = String(data: data.prefix(64), encoding: .utf8), text.hasPrefix("HTTP/1.1 ") else { return nil }
        return Int(text.dropFirst(9).prefix(3))
    }
}
