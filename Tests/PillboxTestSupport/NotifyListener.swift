import Foundation

/// A bound datagram socket standing in for systemd's notification socket (`$NOTIFY_SOCKET`):
/// collects what the daemon sends (`READY=1`, `WATCHDOG=1`, `STOPPING=1`).
package final class NotifyListener: @unchecked Sendable {
    package let path: String
    let fd: Int32

    /// Binds a datagram socket at `path`.
    package init(path: String) throws {
        self.path = path
        // `fd` is set last, so that a throw does not run `deinit` and close it twice.
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw DaemonTestError(message: "socket() failed") }
        var address = RawSocket.address(path)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let error = errno
            close(descriptor)
            throw DaemonTestError(message: "bind(\(path)) failed: errno \(error)")
        }
        fd = descriptor
    }

    deinit { close(fd) }

    /// Every message received since the last call, oldest first; never waits.
    package func drain() -> [String] {
        var messages: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            guard n > 0 else { return messages }
            messages.append(String(decoding: buffer[0..<n], as: UTF8.self))
        }
    }

    /// Counts the `WATCHDOG=1` pings that arrive during `duration`.
    package func countPings(during duration: Duration) async throws -> Int {
        _ = drain()
        try await Task.sleep(for: duration)
        return drain().filter { $0 == "WATCHDOG=1" }.count
    }
}
