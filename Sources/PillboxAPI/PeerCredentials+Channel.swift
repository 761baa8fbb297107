import CPillboxSys
import NIOCore

extension PeerCredentials {
    /// Reads the peer credentials of a connected Unix-domain socket channel as a future;
    /// called on the channel's event loop it completes at once. Fails when the channel
    /// cannot tell (not a socket, or the kernel refused).
    static func readNow(from channel: any Channel) -> EventLoopFuture<PeerCredentials> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
        }
        let option = NIOBSDSocket.Option(rawValue: pillbox_so_peercred())
        let credentials: EventLoopFuture<pillbox_ucred> = provider.unsafeGetSocketOption(
            level: NIOBSDSocket.OptionLevel.socket, name: option)
        return credentials.map { PeerCredentials(pid: $0.pid, uid: $0.uid, gid: $0.gid) }
    }
}
