import Foundation
import PillboxModel

/// Writes an archive file line by line through a 1 MiB buffer, so that millions of entries
/// never sit in memory. Created 0600: the file is an access log of a health record.
final class AuditArchiveWriter {
    let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let encoder = AuditArchiveFile.encoder()
    private(set) var entries = 0

    init(path: String, header: AuditArchiveFile.Header) throws(AuditArchiveError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw AuditArchiveError(.io, "cannot create \(path) (\(Self.errnoText()))") }
        buffer.reserveCapacity(1 << 20)
        try line(header)
    }

    deinit { if fd >= 0 { close(fd) } }

    func append(_ entry: AuditEntry) throws(AuditArchiveError) {
        try line(entry)
        entries += 1
    }

    /// Writes the trailer, flushes, and syncs the file. Nothing may be appended after.
    func finish(_ trailer: AuditArchiveFile.Trailer) throws(AuditArchiveError) {
        try line(trailer)
        try flush()
        guard fsync(fd) == 0 else { throw AuditArchiveError(.io, "fsync of \(path) failed (\(Self.errnoText()))") }
    }

    private func line(_ value: some Encodable) throws(AuditArchiveError) {
        do {
            buffer.append(contentsOf: try encoder.encode(value))
        } catch {
            throw AuditArchiveError(.io, "cannot encode a line of \(path): \(error)")
        }
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws(AuditArchiveError) {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw AuditArchiveError(.io, "writing \(path) failed (\(Self.errnoText()))")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    static func errnoText() -> String {
        errno == ENOSPC ? "ENOSPC: the destination's disk is full" : "errno \(errno): \(String(cString: strerror(errno)))"
    }
}
