import CPillboxSys
import NIOCore

/// Who is on the other end of a Unix socket connection, as the kernel reports it
/// (`SO_PEERCRED`): not something the caller can claim.
package struct PeerCredentials: Sendable, Equatable, Hashable {
    package var pid: Int32
    package var uid: UInt32
    package var gid: UInt32

    package init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    /// Reads the peer credentials of a connected Unix-domain socket channel; nil when the
    /// channel cannot tell (not a socket, or the kernel refused).
    package static func read(from channel: any Channel) async -> PeerCredentials? {
        guard let provider = channel as? any SocketOptionProvider else { return nil }
        let option = NIOBSDSocket.Option(rawValue: pillbox_so_peercred())
        do {
            let cred: pillbox_ucred = try await provider.unsafeGetSocketOption(
                level: NIOBSDSocket.OptionLevel.socket, name: option).get()
            return PeerCredentials(pid: cred.pid, uid: cred.uid, gid: cred.gid)
        } catch {
            return nil
        }
    }
}
