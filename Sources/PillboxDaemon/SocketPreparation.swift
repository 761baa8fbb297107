import Foundation

/// Checks around the socket path before binding, so that a mistake never deletes a file
/// that is not a socket, and a second daemon never steals a running one's socket.
enum SocketPreparation {
    /// Creates the socket's folder if missing (mode 0750) and refuses a path that holds
    /// anything but a stale socket. Hummingbird removes the stale socket when binding.
    static func prepare(path: String) throws(DaemonError) {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o750])
            } catch {
                throw DaemonError(.io, "cannot create the socket folder \(folder): \(error.localizedDescription)")
            }
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw DaemonError(.io, "\(path) exists and is not a socket; refusing to replace it. Move it away or choose another --socket")
        }
        if isListening(path) {
            throw DaemonError(.io, "another daemon is already listening on \(path); stop it first or choose another --socket")
        }
    }

    /// True when something accepts connections on the socket at `path`.
    static func isListening(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }
}
