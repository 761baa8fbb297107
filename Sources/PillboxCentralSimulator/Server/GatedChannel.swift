import HummingbirdCore
import Logging
import NIOCore

/// A server child channel that puts a `DownGateHandler` first in each connection's pipeline,
/// then sets up `base` (HTTP/1, or TLS then HTTP/1).
struct GatedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let faults: FaultSwitch
    let stats: StatsRecorder

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(DownGateHandler(faults: faults, stats: stats))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
