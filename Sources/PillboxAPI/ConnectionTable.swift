/// Every open connection of the local API and what it is doing, and the decision, made
/// without I/O, of who makes room when a new one arrives. The rules, in order:
///
/// 1. A peer (one process: uid and pid) at `perPeer` connections closes its own
///    longest-idle connection to open another; when all of its connections are busy, the
///    new one is refused.
/// 2. At `soft` connections in all, the new one closes a connection of the peer holding the
///    most (counting the new one): idle ones before ones still sending a request, the
///    longest in that state first. Only peers holding at least as many as the new one's
///    peer give way, so a process opening connections in a loop never pushes out the one
///    kept-alive connection of a well-behaved program. When none can be closed, the new one
///    is admitted anyway, up to `hard`.
/// 3. At `hard` connections, with nothing to close, the new one is refused.
///
/// Busy connections (a request read in full and being answered, or a response being
/// written) are never closed to make room: their own timeouts cut them.
package struct ConnectionTable: Sendable {
    /// The caps, in connections.
    package struct Caps: Sendable, Equatable {
        package var soft: Int
        package var hard: Int
        package var perPeer: Int

        package init(soft: Int, hard: Int, perPeer: Int) {
            self.soft = soft
            self.hard = hard
            self.perPeer = perPeer
        }
    }

    /// Who is on the other end: one process.
    package struct Peer: Sendable, Hashable, CustomStringConvertible {
        package var uid: UInt32
        package var pid: Int32

        package init(uid: UInt32, pid: Int32) {
            self.uid = uid
            self.pid = pid
        }

        /// A peer whose credentials could not be read (all such connections count as one peer).
        package static let unknown = Peer(uid: .max, pid: -1)

        package var description: String { "uid \(uid) pid \(pid)" }
    }

    /// What a connection is doing.
    package enum Phase: Sendable, Equatable {
        /// Waiting for a request (a fresh or kept-alive connection).
        case idle
        /// A request is arriving and is not complete yet.
        case receiving
        /// A request is being answered or its response written.
        case busy
    }

    /// Why a connection was closed or refused.
    package enum Reason: String, Sendable, Equatable {
        /// The peer's own cap (`limits.maxConnectionsPerPeer`).
        case peerLimit = "peer-limit"
        /// The soft cap (`limits.maxConnections`).
        case connectionLimit = "connection-limit"
        /// The hard cap (`limits.maxOpenConnections`).
        case openLimit = "open-limit"
    }

    /// A connection closed to make room.
    package struct Eviction: Sendable, Equatable {
        package var id: UInt64
        package var peer: Peer
        package var phase: Phase
        /// How long it had been in that phase, in nanoseconds.
        package var age: UInt64
        package var reason: Reason
    }

    /// The decision on a new connection.
    package enum Admission: Sendable, Equatable {
        /// Served; the connections listed must be closed.
        case admitted(evicting: [Eviction])
        /// Answered 503 and closed.
        case refused(Reason)
    }

    struct Entry {
        var peer: Peer
        var phase: Phase
        var since: UInt64
    }

    package let caps: Caps
    private var entries: [UInt64: Entry] = [:]
    private var perPeer: [Peer: Int] = [:]

    package init(caps: Caps) {
        self.caps = caps
    }

    /// Open connections.
    package var count: Int { entries.count }

    /// Open connections of `peer`.
    package func count(of peer: Peer) -> Int { perPeer[peer] ?? 0 }

    /// Decides on connection `id` from `peer`, arriving at `now` (nanoseconds, any
    /// monotonic origin), and records it when admitted.
    package mutating func admit(_ id: UInt64, peer: Peer, now: UInt64) -> Admission {
        var evictions: [Eviction] = []
        if count(of: peer) >= caps.perPeer {
            // A replacement: the total does not grow, so the other caps need nothing more.
            guard let victim = victim(now: now, among: peer, newcomer: peer) else { return .refused(.peerLimit) }
            evictions.append(evict(victim, reason: .peerLimit, now: now))
        } else if entries.count >= caps.soft {
            if let victim = victim(now: now, among: nil, newcomer: peer) {
                evictions.append(evict(victim, reason: entries.count >= caps.hard ? .openLimit : .connectionLimit,
                                       now: now))
            } else if entries.count >= caps.hard {
                return .refused(.openLimit)
            }
        }
        insert(id, Entry(peer: peer, phase: .idle, since: now))
        return .admitted(evicting: evictions)
    }

    /// Records what connection `id` does from `now` on (ignored for unknown ids).
    package mutating func update(_ id: UInt64, phase: Phase, now: UInt64) {
        guard var entry = entries[id], entry.phase != phase else { return }
        entry.phase = phase
        entry.since = now
        entries[id] = entry
    }

    /// Forgets connection `id` (closed); ignored when already gone.
    package mutating func remove(_ id: UInt64) {
        guard let entry = entries.removeValue(forKey: id) else { return }
        let left = (perPeer[entry.peer] ?? 1) - 1
        perPeer[entry.peer] = left > 0 ? left : nil
    }

    private mutating func insert(_ id: UInt64, _ entry: Entry) {
        entries[id] = entry
        perPeer[entry.peer, default: 0] += 1
    }

    private mutating func evict(_ id: UInt64, reason: Reason, now: UInt64) -> Eviction {
        let entry = entries[id]!
        remove(id)
        return Eviction(id: id, peer: entry.peer, phase: entry.phase, age: now &- entry.since, reason: reason)
    }

    /// The connection to close: of `peer` when given, else of the peer holding the most,
    /// among peers holding at least as many as `newcomer` will; idle before receiving; the
    /// longest in its phase first. Nil when there is none (every candidate is busy).
    private func victim(now: UInt64, among peer: Peer?, newcomer: Peer) -> UInt64? {
        let least = count(of: newcomer) + 1
        var best: (id: UInt64, rank: (Int, Int, UInt64))?
        for (id, entry) in entries where entry.phase != .busy && (peer == nil || entry.peer == peer) {
            let held = (perPeer[entry.peer] ?? 0) + (entry.peer == newcomer ? 1 : 0)
            guard peer != nil || held >= least else { continue }
            let rank = (held, entry.phase == .idle ? 1 : 0, now &- entry.since)
            if best == nil || rank > best!.rank || (rank == best!.rank && id < best!.id) { best = (id, rank) }
        }
        return best?.id
    }
}
