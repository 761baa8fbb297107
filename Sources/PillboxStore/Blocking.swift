import Dispatch

/// File work that can take seconds (a backup's fsync, checksum and check of a copy the size
/// of the store) run on a Dispatch thread while the calling task waits for it, without holding
/// the task's thread: with tasks on the event loops (docs/performance.md, "tasks on the event
/// loops") that thread also serves the socket, and must never stall for long.
package enum Blocking {
    package static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
