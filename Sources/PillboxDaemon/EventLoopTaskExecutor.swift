import HummingbirdCore
import Logging
import NIOCore

/// A task executor that runs every job on one NIO event loop, as the loop's own work: a task
/// that prefers it (`withTaskExecutorPreference`) keeps to that loop, its child tasks too,
/// and resumes there after waiting on another thread (GRDB's queues, `Blocking.run`), with no
/// other thread in between (docs/performance.md, "each connection's tasks on its event loop").
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// A server child channel whose connection task runs on the connection's event loop
/// (`EventLoopTaskExecutor`): the request's reads from the socket, its handler and its
/// answer's writes all on the loop that owns the socket.
struct EventLoopPinnedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}
