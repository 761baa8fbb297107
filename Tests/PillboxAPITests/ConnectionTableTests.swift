@testable import PillboxAPI
import Testing

/// The admission rules, without a socket: who makes room for a new connection.
struct ConnectionTableTests {
    let a = ConnectionTable.Peer(uid: 1000, pid: 10)
    let b = ConnectionTable.Peer(uid: 1000, pid: 11)
    let c = ConnectionTable.Peer(uid: 1001, pid: 12)

    func evicted(_ admission: ConnectionTable.Admission) -> [UInt64] {
        if case .admitted(let evictions) = admission { return evictions.map(\.id) }
        return []
    }

    @Test("Below the soft cap every connection is admitted and nothing is closed")
    func belowSoftCap() {
        var table = ConnectionTable(caps: .init(soft: 3, hard: 5, perPeer: 3))
        #expect(table.admit(1, peer: a, now: 0) == .admitted(evicting: []))
        #expect(table.admit(2, peer: b, now: 1) == .admitted(evicting: []))
        #expect(table.admit(3, peer: c, now: 2) == .admitted(evicting: []))
        #expect(table.count == 3)
    }

    @Test("At the soft cap the longest-idle connection of the peer holding the most makes room")
    func softCapEvictsFromTheGreediestPeer() {
        var table = ConnectionTable(caps: .init(soft: 4, hard: 8, perPeer: 8))
        _ = table.admit(1, peer: b, now: 0)   // b: the oldest idle connection of all
        _ = table.admit(2, peer: a, now: 10)
        _ = table.admit(3, peer: a, now: 20)
        _ = table.admit(4, peer: a, now: 30)
        let admission = table.admit(5, peer: c, now: 40)
        #expect(admission == .admitted(evicting: [
            .init(id: 2, peer: a, phase: .idle, age: 30, reason: .connectionLimit),
        ]))
        #expect(table.count == 4)
        #expect(table.count(of: a) == 2)
        #expect(table.count(of: b) == 1)
    }

    @Test("Idle connections go before ones still sending a request; busy ones never go")
    func idleBeforeReceivingNeverBusy() {
        var table = ConnectionTable(caps: .init(soft: 4, hard: 8, perPeer: 8))
        _ = table.admit(1, peer: a, now: 0)
        _ = table.admit(2, peer: a, now: 0)
        _ = table.admit(3, peer: a, now: 0)
        _ = table.admit(4, peer: a, now: 0)
        table.update(1, phase: .busy, now: 1)
        table.update(2, phase: .receiving, now: 1)
        table.update(3, phase: .receiving, now: 2)
        table.update(4, phase: .idle, now: 50)   // unchanged phase: keeps its time
        #expect(evicted(table.admit(5, peer: b, now: 100)) == [4])
        #expect(evicted(table.admit(6, peer: c, now: 101)) == [2])   // a holds the most; receiving the longest
        // a and c (counting the new one) hold 2 each: c's idle connection goes before a's receiving one.
        #expect(evicted(table.admit(7, peer: c, now: 102)) == [6])
        #expect(table.count(of: a) == 2)
    }

    @Test("A greedy process never pushes out a lighter peer's kept-alive connection; it goes over the soft cap instead")
    func greedyNewcomerDoesNotEvictLighterPeers() {
        var table = ConnectionTable(caps: .init(soft: 3, hard: 4, perPeer: 8))
        _ = table.admit(1, peer: a, now: 0)   // the well-behaved program's one idle connection
        _ = table.admit(2, peer: b, now: 1)
        _ = table.admit(3, peer: b, now: 2)
        table.update(2, phase: .busy, now: 3)
        table.update(3, phase: .busy, now: 3)
        #expect(table.admit(4, peer: b, now: 10) == .admitted(evicting: []))
        table.update(4, phase: .busy, now: 11)
        #expect(table.admit(5, peer: b, now: 12) == .refused(.openLimit))
        #expect(table.count(of: a) == 1)
        // A newcomer from a peer holding as few gives way to nobody but may push out b's idle ones.
        table.update(4, phase: .idle, now: 13)
        #expect(evicted(table.admit(6, peer: c, now: 14)) == [4])
    }

    @Test("With every connection busy, new ones are admitted up to the hard cap, then refused")
    func hardCapRefusesWhenAllBusy() {
        var table = ConnectionTable(caps: .init(soft: 2, hard: 3, perPeer: 8))
        for id in UInt64(1)...3 {
            #expect(table.admit(id, peer: a, now: id) == .admitted(evicting: []))
            table.update(id, phase: .busy, now: id)
        }
        #expect(table.admit(4, peer: b, now: 10) == .refused(.openLimit))
        #expect(table.count == 3)
        table.remove(2)
        #expect(table.admit(5, peer: b, now: 11) == .admitted(evicting: []))
        // At the hard cap with an idle connection: it makes room.
        #expect(table.admit(6, peer: c, now: 12) == .admitted(evicting: [
            .init(id: 5, peer: b, phase: .idle, age: 1, reason: .openLimit),
        ]))
    }

    @Test("A peer at its own cap replaces its longest-idle connection, or is refused when all are busy")
    func perPeerCap() {
        var table = ConnectionTable(caps: .init(soft: 100, hard: 100, perPeer: 2))
        _ = table.admit(1, peer: a, now: 0)
        _ = table.admit(2, peer: a, now: 5)
        _ = table.admit(3, peer: b, now: 6)
        #expect(table.admit(4, peer: a, now: 10) == .admitted(evicting: [
            .init(id: 1, peer: a, phase: .idle, age: 10, reason: .peerLimit),
        ]))
        table.update(2, phase: .busy, now: 11)
        table.update(4, phase: .busy, now: 11)
        #expect(table.admit(5, peer: a, now: 12) == .refused(.peerLimit))
        #expect(table.count(of: a) == 2)
        // Other peers are not affected.
        #expect(table.admit(6, peer: c, now: 13) == .admitted(evicting: []))
    }

    @Test("Removing is idempotent and updates of unknown connections are ignored")
    func removeAndUpdateUnknown() {
        var table = ConnectionTable(caps: .init(soft: 2, hard: 2, perPeer: 2))
        _ = table.admit(1, peer: a, now: 0)
        table.remove(1)
        table.remove(1)
        table.update(1, phase: .busy, now: 1)
        #expect(table.count == 0)
        #expect(table.count(of: a) == 0)
    }
}
