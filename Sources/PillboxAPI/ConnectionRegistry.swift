import Logging
import NIOCore
import Synchronization

/// The local API's open connections, shared by every connection's `ConnectionLimitsHandler`:
/// admits a new connection by the rules of `ConnectionTable`, closes the connections that
/// make room for it, and logs every limit that bites (peer ids and counts, never request
/// content), at most once a second per kind of event with the count of those not logged.
package final class ConnectionRegistry: Sendable {
    /// A connection the registry knows.
    package struct Ticket: Sendable {
        let id: UInt64
        let peer: ConnectionTable.Peer
    }

    /// What the log says about an event.
    enum Event: String {
        case evicted = "connection.evicted"
        case refused = "connection.refused"
        case responseTimeout = "connection.response-timeout"
        case requestTimeout = "connection.request-timeout"
    }

    private struct State {
        var table: ConnectionTable
        var channels: [UInt64: any Channel] = [:]
        var nextID: UInt64 = 0
        var logs = LogThrottle<String>()
    }

    private let state: Mutex<State>
    let logger: Logger

    /// A registry enforcing `caps` (see `APILimits`: `maxConnections`, `maxOpenConnections`,
    /// `maxConnectionsPerPeer`).
    package init(maxConnections: Int, maxOpenConnections: Int, maxConnectionsPerPeer: Int, logger: Logger) {
        let caps = ConnectionTable.Caps(soft: maxConnections, hard: max(maxConnections, maxOpenConnections),
                                        perPeer: maxConnectionsPerPeer)
        state = Mutex(State(table: ConnectionTable(caps: caps)))
        self.logger = logger
    }

    /// Open connections, for tests and status.
    package var openConnections: Int { state.withLock { $0.table.count } }

    /// Admits `channel` from `peer`, closing whatever must make room; nil when it is refused
    /// (the caller answers 503 and closes it).
    func open(_ channel: any Channel, peer: ConnectionTable.Peer) -> Ticket? {
        let now = NIODeadline.now().uptimeNanoseconds
        let outcome: Outcome = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            var outcome = Outcome(admission: state.table.admit(id, peer: peer, now: now))
            if case .admitted(let evictions) = outcome.admission {
                outcome.ticket = Ticket(id: id, peer: peer)
                state.channels[id] = channel
                for eviction in evictions {
                    if let victim = state.channels.removeValue(forKey: eviction.id) { outcome.victims.append(victim) }
                    if let unlogged = state.logs.shouldLog(Event.evicted.rawValue, now: now) {
                        outcome.logs.append((eviction, unlogged))
                    }
                }
            }
            outcome.open = state.table.count
            return outcome
        }
        for victim in outcome.victims { victim.close(promise: nil) }
        for (eviction, unlogged) in outcome.logs {
            logger.warning("Connection closed to make room for a new one", metadata: [
                "connection.reason": "\(eviction.reason.rawValue)", "connection.phase": "\(eviction.phase)",
                "connection.idleMilliseconds": "\(eviction.age / 1_000_000)",
                "peer.uid": "\(eviction.peer.uid)", "peer.pid": "\(eviction.peer.pid)",
                "connections.open": "\(outcome.open)", "log.unlogged": "\(unlogged)",
            ])
        }
        if case .refused(let reason) = outcome.admission {
            note(.refused, "Connection refused: too many connections", peer: peer, extra: [
                "connection.reason": "\(reason.rawValue)", "connections.open": "\(outcome.open)",
            ])
        }
        return outcome.ticket
    }

    /// What `open` decided, carried out of the lock.
    private struct Outcome {
        var admission: ConnectionTable.Admission
        var ticket: Ticket?
        var victims: [any Channel] = []
        var logs: [(ConnectionTable.Eviction, Int)] = []
        var open = 0
    }

    /// Records what the connection does now.
    func update(_ ticket: Ticket, _ phase: ConnectionTable.Phase) {
        let now = NIODeadline.now().uptimeNanoseconds
        state.withLock { $0.table.update(ticket.id, phase: phase, now: now) }
    }

    /// Forgets a closed connection.
    func closed(_ ticket: Ticket) {
        state.withLock { state in
            state.table.remove(ticket.id)
            state.channels.removeValue(forKey: ticket.id)
        }
    }

    /// Logs a limit that bit on one connection (throttled per kind of event).
    func note(_ event: Event, _ message: Logger.Message, peer: ConnectionTable.Peer?, extra: Logger.Metadata = [:]) {
        let now = NIODeadline.now().uptimeNanoseconds
        guard let unlogged = state.withLock({ $0.logs.shouldLog(event.rawValue, now: now) }) else { return }
        var metadata = extra
        metadata["log.unlogged"] = "\(unlogged)"
        if let peer {
            metadata["peer.uid"] = "\(peer.uid)"
            metadata["peer.pid"] = "\(peer.pid)"
        }
        logger.warning(message, metadata: metadata)
    }
}
