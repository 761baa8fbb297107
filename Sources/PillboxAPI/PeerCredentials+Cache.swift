import NIOCore
import Synchronization

/// The caller and its role, resolved once per connection: the peer of a Unix socket cannot
/// change while the connection lasts, so `SO_PEERCRED` (a hop to the channel's event loop)
/// and the role look-up (`getgrouplist` for group roles) run on its first request only. An
/// entry holds its channel, so no other connection can reuse its identity while it is kept,
/// and is dropped when the channel closes.
final class PeerRoleCache: Sendable {
    struct Entry: Sendable {
        let channel: any Channel
        let peer: PeerCredentials?
        let role: Role?
    }

    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    /// Connections with a cached caller, for tests.
    var count: Int { entries.withLock { $0.count } }

    /// The caller and role of `channel`: cached, or resolved by `resolve` and kept until the
    /// channel closes. Without a channel (in-process tests) it resolves every time.
    func lookup(_ channel: (any Channel)?,
                resolve: @Sendable ((any Channel)?) async -> (PeerCredentials?, Role?)) async -> (PeerCredentials?, Role?) {
        guard let channel else { return await resolve(nil) }
        let key = ObjectIdentifier(channel)
        if let entry = entries.withLock({ $0[key] }), entry.channel === channel {
            return (entry.peer, entry.role)
        }
        let (peer, role) = await resolve(channel)
        // A peer that could not be read is not cached: the next request tries again.
        guard peer != nil else { return (peer, role) }
        let added = entries.withLock { entries -> Bool in
            guard entries[key] == nil else { return false }
            entries[key] = Entry(channel: channel, peer: peer, role: role)
            return true
        }
        if added {
            channel.closeFuture.whenComplete { [weak self] _ in self?.forget(channel) }
        }
        return (peer, role)
    }

    /// Drops a closed channel's entry.
    private func forget(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        entries.withLock { entries in
            if entries[key]?.channel === channel { entries[key] = nil }
        }
    }
}
