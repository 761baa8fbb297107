import NIOCore

/// First handler of every FHIR connection: while the mode is `down` it closes the connection
/// as soon as it is accepted, before any byte is read (and before a TLS handshake).
final class DownGateHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let faults: FaultSwitch
    private let stats: StatsRecorder
    private var checked = false

    init(faults: FaultSwitch, stats: StatsRecorder) {
        self.faults = faults
        self.stats = stats
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { _ = admit(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if admit(context) { context.fireChannelActive() }
    }

    /// False (and the connection closing) when it is refused.
    private func admit(_ context: ChannelHandlerContext) -> Bool {
        guard !checked else { return true }
        checked = true
        guard faults.isDown else { return true }
        stats.record { $0.refusedConnections += 1 }
        context.close(promise: nil)
        return false
    }
}
