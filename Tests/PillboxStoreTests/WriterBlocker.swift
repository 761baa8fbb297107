import Dispatch
import GRDB
import Synchronization

/// Holds a database pool's writer connection busy (from a thread of its own) until released,
/// so that writes pile up behind it in a known order.
final class WriterBlocker: Sendable {
    private let release = DispatchSemaphore(value: 0)

    /// Returns once the writer connection is held.
    static func hold(_ pool: DatabasePool) async -> WriterBlocker {
        let blocker = WriterBlocker()
        await withCheckedContinuation { (held: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                pool.writeWithoutTransaction { _ in
                    held.resume()
                    blocker.release.wait()
                }
            }
        }
        return blocker
    }

    /// Lets the writer connection go.
    func letGo() {
        release.signal()
    }
}
