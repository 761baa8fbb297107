import ArgumentParser
import Foundation

/// The misbehaving side of the hostile-clients drill, run as a separate process (so the
/// daemon sees its own uid and pid): holds idle, trickling and slow-reading connections for
/// a while, reconnects each one the daemon closes, then prints one JSON line of counts.
/// Hidden: the drill runs it, people do not.
struct HostileClientsOffender: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hostile-clients-offender", abstract: "(used by hostile-clients)", shouldDisplay: false)

    @Option var socket: String
    @Option var idle = 0
    @Option var trickle = 0
    @Option var slow = 0
    @Option var seconds = 30.0
    @Option(help: "Pause before reconnecting a connection the daemon closed, in milliseconds.")
    var reconnectMilliseconds = 1000

    enum Kind { case idle, trickle, slow }

    struct Slot {
        var kind: Kind
        var fd: Int32 = -1
        var due = ContinuousClock.now
        var sentSlowRequest = false
    }

    /// What happened, printed as JSON at the end.
    struct Counts: Codable {
        var connects = 0, connectErrors = 0
        var idleClosed = 0, trickleClosed = 0, trickleTimedOut = 0
        var slowCut = 0, slowRefused = 0, refused = 0
        var attachedAtEnd = 0, maxAttached = 0
    }

    func run() throws {
        HostileClientsDrill.raiseFileLimit()
        var slots = Array(repeating: Slot(kind: .idle), count: idle)
            + Array(repeating: Slot(kind: .trickle), count: trickle)
            + Array(repeating: Slot(kind: .slow), count: slow)
        var counts = Counts()
        let end = ContinuousClock.now + .seconds(seconds)
        let trickleRequest = Array("GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Trickle: ".utf8)
        let slowRequest = Array("GET /v1/patients/TREM50020312/medications?limit=500 HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        var trickleOffset = [Int](repeating: 0, count: slots.count)
        var buffer = [UInt8](repeating: 0, count: 65536)

        while ContinuousClock.now < end {
            let now = ContinuousClock.now
            for index in slots.indices where slots[index].fd < 0 && slots[index].due <= now {
                if let fd = connectNonBlocking() {
                    slots[index].fd = fd
                    slots[index].sentSlowRequest = false
                    trickleOffset[index] = 0
                    slots[index].due = now
                    counts.connects += 1
                } else {
                    counts.connectErrors += 1
                    slots[index].due = now + .milliseconds(reconnectMilliseconds)
                }
            }
            // Send: the slow readers' request once, one trickle byte a second.
            for index in slots.indices where slots[index].fd >= 0 {
                switch slots[index].kind {
                case .slow where !slots[index].sentSlowRequest:
                    _ = slowRequest.withUnsafeBytes { send(slots[index].fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    slots[index].sentSlowRequest = true
                case .trickle where slots[index].due <= now:
                    let offset = trickleOffset[index]
                    var byte = offset < trickleRequest.count ? trickleRequest[offset] : UInt8(ascii: "a")
                    _ = send(slots[index].fd, &byte, 1, Int32(MSG_NOSIGNAL))
                    trickleOffset[index] += 1
                    slots[index].due = now + .seconds(1)
                default:
                    break
                }
            }
            let open = slots.indices.filter { slots[$0].fd >= 0 }
            counts.maxAttached = max(counts.maxAttached, open.count)
            var fds = open.map { index in
                pollfd(fd: slots[index].fd, events: Int16(slots[index].kind == .slow ? 0x2000 /* POLLRDHUP */ : POLLIN),
                       revents: 0)
            }
            guard poll(&fds, nfds_t(fds.count), 50) > 0 else { continue }
            for (position, index) in open.enumerated() where fds[position].revents != 0 {
                let fd = slots[index].fd
                let n = recv(fd, &buffer, slots[index].kind == .slow ? 16 : buffer.count, Int32(MSG_DONTWAIT))
                let head = n > 0 ? String(decoding: buffer[0..<min(n, 12)], as: UTF8.self) : ""
                if slots[index].kind != .slow && n > 0 && head.hasSuffix("200") { continue }  // not expected; keep reading
                if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { continue }
                if head == "HTTP/1.1 503" { counts.refused += 1 }
                switch slots[index].kind {
                case .idle: counts.idleClosed += 1
                case .trickle: if head == "HTTP/1.1 408" { counts.trickleTimedOut += 1 } else { counts.trickleClosed += 1 }
                case .slow: if head == "HTTP/1.1 503" { counts.slowRefused += 1 } else { counts.slowCut += 1 }
                }
                close(fd)
                slots[index].fd = -1
                slots[index].due = ContinuousClock.now + .milliseconds(reconnectMilliseconds)
            }
        }
        counts.attachedAtEnd = slots.filter { $0.fd >= 0 }.count
        let data = try JSONEncoder().encode(counts)
        print(String(decoding: data, as: UTF8.self))
    }

    private func connectNonBlocking() -> Int32? {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socket.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes.prefix(raw.count - 1))
            raw[min(bytes.count, raw.count - 1)] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            close(fd)
            return nil
        }
        return fd
    }
}
