import Dispatch
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import PillboxDaemon

/// `tasksOnEventLoops`: a connection's task keeps to its event loop, also after waiting on
/// another thread, as GRDB's queues and `Blocking.run` make it wait.
@Suite struct EventLoopTaskExecutorTests {
    /// Waits for work done on a dispatch queue, as an `await` on GRDB's queues does: the task
    /// resumes from that queue's thread.
    static func hop() async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: true) }
        }
    }

    @Test func aTaskThatPrefersTheLoopRunsThereAndComesBackThereAfterAWait() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loop = group.next()
        let seen = await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) {
            let before = loop.inEventLoop
            _ = await Self.hop()
            let after = loop.inEventLoop
            async let child = { loop.inEventLoop }()
            return [before, after, await child]
        }
        #expect(seen == [true, true, true])
        try await group.shutdownGracefully()
    }

    /// The control: without the preference the same task does not run on the loop, so the
    /// test above can fail.
    @Test func withoutThePreferenceTheTaskIsNotOnTheLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        _ = await Self.hop()
        #expect(loop.inEventLoop == false)
        try await group.shutdownGracefully()
    }

    struct Value: ServerChildChannelValue {
        let channel: any Channel
    }

    final class Seen: Sendable {
        let value = Mutex<[Bool]>([])
    }

    /// Records where its handler ran, before and after a wait on another thread.
    struct Recorder: ServerChildChannel {
        let seen: Seen

        func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
            channel.eventLoop.makeSucceededFuture(Value(channel: channel))
        }

        func handle(value: Value, logger: Logger) async {
            let before = value.channel.eventLoop.inEventLoop
            _ = await EventLoopTaskExecutorTests.hop()
            let after = value.channel.eventLoop.inEventLoop
            seen.value.withLock { $0 = [before, after] }
        }
    }

    @Test(arguments: [true, false])
    func aPinnedConnectionIsHandledOnItsChannelsLoop(pinned: Bool) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let channel = try await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let seen = Seen()
        let logger = Logger(label: "test")
        let record = Recorder(seen: seen)
        if pinned {
            await EventLoopPinnedChannel(base: record).handle(value: Value(channel: channel), logger: logger)
        } else {
            await record.handle(value: Value(channel: channel), logger: logger)
        }
        #expect(seen.value.withLock { $0 } == (pinned ? [true, true] : [false, false]))
        try await channel.close()
        try await group.shutdownGracefully()
    }
}
