import NIOCore

extension Channel {
    /// Closes the connection at once, as a crashed server would: the close starts at the
    /// `DownGateHandler` (first in the pipeline), so it skips TLS's close_notify exchange and
    /// the peer just sees the connection end. Returns once the close has been issued.
    func abort() async {
        let channel = self
        let issued = eventLoop.submit {
            if let gate = try? channel.pipeline.syncOperations.context(handlerType: DownGateHandler.self) {
                gate.close(promise: nil)
            } else {
                channel.close(promise: nil)
            }
        }
        try? await issued.get()
    }
}
