import NIOCore
import NIOEmbedded
@testable import PillboxAPI
import Synchronization
import Testing

/// The caller of a connection is resolved on its first request only, kept while the
/// connection lasts, and never seen by another connection.
struct PeerRoleCacheTests {
    let root = PeerCredentials(pid: 10, uid: 0, gid: 0)
    let nobody = PeerCredentials(pid: 11, uid: 65534, gid: 65534)

    /// A resolver that answers `peers[channel]` and counts its calls.
    final class Resolver: Sendable {
        let calls = Atomic<Int>(0)
        let answers: [ObjectIdentifier: PeerCredentials]
        init(_ answers: [ObjectIdentifier: PeerCredentials]) { self.answers = answers }
        func resolve(_ channel: (any Channel)?) -> (PeerCredentials?, Role?) {
            calls.add(1, ordering: .relaxed)
            let peer = channel.flatMap { answers[ObjectIdentifier($0)] }
            return (peer, peer.map { $0.uid == 0 ? .admin : .read })
        }
    }

    @Test("One resolution per connection; each connection keeps its own caller; a closed connection is forgotten")
    func oncePerConnection() async throws {
        let first = EmbeddedChannel()
        let second = EmbeddedChannel()
        let resolver = Resolver([ObjectIdentifier(first): root, ObjectIdentifier(second): nobody])
        let cache = PeerRoleCache()

        for _ in 0..<3 {
            let (peer, role) = await cache.lookup(first) { resolver.resolve($0) }
            #expect(peer == root && role == .admin)
        }
        #expect(resolver.calls.load(ordering: .relaxed) == 1)
        let (peer, role) = await cache.lookup(second) { resolver.resolve($0) }
        #expect(peer == nobody && role == .read)
        #expect(resolver.calls.load(ordering: .relaxed) == 2)
        #expect(cache.count == 2)

        try await first.close()
        first.embeddedEventLoop.run()
        #expect(cache.count == 1)
        _ = try second.finish()
        second.embeddedEventLoop.run()
        #expect(cache.count == 0)
    }

    @Test("Without a channel, or when the peer cannot be read, nothing is cached")
    func uncachable() async throws {
        let channel = EmbeddedChannel()
        let resolver = Resolver([:])
        let cache = PeerRoleCache()
        for _ in 0..<2 {
            let (peer, role) = await cache.lookup(channel) { resolver.resolve($0) }
            #expect(peer == nil && role == nil)
            _ = await cache.lookup(nil) { resolver.resolve($0) }
        }
        #expect(resolver.calls.load(ordering: .relaxed) == 4)
        #expect(cache.count == 0)
        _ = try channel.finish()
    }
}
