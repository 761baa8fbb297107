import Foundation

extension RawSocket {
    /// Reads until at least `count` bytes arrived (never more than `count`), the peer closes,
    /// or `timeout` passes; returns what arrived. Reading only the first bytes of a large
    /// response (its status line) shows that the server has started answering without
    /// draining what it still has to send.
    package func receive(atLeast count: Int, timeout: Duration) -> Data {
        var received = Data()
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: max(count, 1))
        while received.count < count, ContinuousClock.now < deadline {
            var pollfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let remaining = deadline - ContinuousClock.now
            let ms = Int32(max(1, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000))
            guard poll(&pollfd, 1, ms) > 0 else { continue }
            let n = recv(fd, &buffer, count - received.count, 0)
            if n <= 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
        return received
    }

    /// Sends `request` and reads its whole response (head, then `Content-Length` bytes),
    /// leaving the connection open; returns the response's status, nil when none arrived in
    /// time. Once it returns, the server has accepted and counted this connection and
    /// answered on it: a test can then rely on it being known to the connection limits.
    package func exchange(_ request: String, timeout: Duration = .seconds(10)) -> Int? {
        send(request)
        var received = Data()
        let deadline = ContinuousClock.now + timeout
        let separator = Data("\r\n\r\n".utf8)
        while ContinuousClock.now < deadline {
            if let end = received.range(of: separator) {
                let head = String(decoding: received[..<end.lowerBound], as: UTF8.self).lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if received.count - end.upperBound >= length { return Self.status(of: received) }
            }
            var pollfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pollfd, 1, 20) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return nil }
            received.append(contentsOf: buffer[0..<n])
        }
        return nil
    }
}
