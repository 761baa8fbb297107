import Foundation
import GRDB
import PillboxCrypto
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Data key rotation")
struct StoreKeyRotationTests {
    /// Runs batches of `limit` until the rotation is finished; returns the batches run.
    static func finish(_ store: Store, limit: Int) async throws -> Int {
        var cursor = RotationCursor()
        var batches = 0
        while let step = try await store.rotateKeyBatch(from: cursor, limit: limit, now: Fixture.now) {
            batches += 1
            if step.finished { return batches }
            cursor = step.cursor
        }
        return batches
    }

    @Test("Rotation under concurrent reads and writes finishes: every record reads back identical, none under the old key, old key deleted")
    func rotationUnderLoad() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        let before = try await KeyRotationFixture.seed(store, count: 200)
        let oldKey = store.dataKeyID
        #expect(try await KeyRotationFixture.rowsByKey(store) == [oldKey: 240 + 3 + 2])

        guard case .started(let report) = try await store.startKeyRotation(now: Fixture.now) else {
            Issue.record("rotation did not start")
            return
        }
        let newKey = store.dataKeyID
        #expect(newKey != oldKey && newKey.hasPrefix("data-"))
        #expect(report.rotation?.total == 245)
        #expect(report.rotation?.fromKeyID == oldKey && report.rotation?.toKeyID == newKey)
        // A second request while it runs is refused, changing nothing.
        guard case .alreadyRunning = try await store.startKeyRotation(now: Fixture.now) else {
            Issue.record("a second rotation was not refused")
            return
        }
        #expect(try await KeyRotationFixture.dataKeys(store).count == 2)

        let ids = Array(before.histories.keys)
        let newRecords = try await withThrowingTaskGroup(of: [DispenseRecord].self) { group in
            group.addTask { [store] in
                var made: [DispenseRecord] = []
                for n in 0..<60 { made.append(try await Fixture.create(store, try Fixture.dispense(id: "NEW-\(n)"))) }
                return made
            }
            for reader in 0..<3 {
                group.addTask { [store] in
                    for n in 0..<150 {
                        let id = ids[(n * 7 + reader) % ids.count]
                        guard try await store.history(id: id) == before.histories[id] else { throw Unexpected(description: "read \(id) differs") }
                    }
                    return []
                }
            }
            group.addTask { [store] in
                _ = try await Self.finish(store, limit: 16)
                return []
            }
            var all: [DispenseRecord] = []
            for try await made in group { all += made }
            return all
        }
        #expect(newRecords.count == 60)
        // Whatever the interleaving, a finished rotation leaves nothing under the old key.
        #expect(try await store.rotateKeyBatch(from: RotationCursor(), limit: 16, now: Fixture.now) == nil)
        #expect(try await KeyRotationFixture.rowsByKey(store) == [newKey: 240 + 60 + 3 + 2])
        #expect(try await KeyRotationFixture.dataKeys(store) == [newKey])
        #expect(try await before.readsBackAs(before))
        for record in newRecords { #expect(try await store.dispense(id: record.id) == record) }
        let status = try await store.keyringReport(now: Fixture.now)
        #expect(status.rotation?.finishedAt == Fixture.now)
        #expect(status.rotation?.remaining == 0 && status.rotation?.unreadable == 0)
        #expect(status.keys.map(\.purpose).sorted() == ["audit", "data", "index"])

        // And after a restart, with the old key gone from the table.
        try store.close()
        let reopened = try Fixture.open(directory)
        defer { try? reopened.close() }
        #expect(reopened.dataKeyID == newKey)
        let again = KeyRotationFixture(store: reopened, histories: before.histories, profiles: before.profiles, outcomes: before.outcomes)
        #expect(try await again.readsBackAs(before))
    }

    @Test("A rotation interrupted at random batch boundaries (store closed and reopened) resumes and finishes, every record intact",
          arguments: [1, 2, 3])
    func interruptedRotationResumes(seed: UInt64) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var store = try Fixture.open(directory)
        let before = try await KeyRotationFixture.seed(store, count: 120)
        let oldKey = store.dataKeyID
        _ = try await store.startKeyRotation(now: Fixture.now)
        let newKey = store.dataKeyID
        var random = SplitMix64(seed: seed)
        var interruptions = 0
        while true {
            #expect(store.keyRotationPending)
            // A few batches of a random size, then a "crash" between two of them.
            var cursor = RotationCursor()
            var finished = false
            for _ in 0..<Int(random.next() % 4 + 1) {
                guard let step = try await store.rotateKeyBatch(from: cursor, limit: Int(random.next() % 20 + 1), now: Fixture.now),
                      !step.finished else {
                    finished = true
                    break
                }
                cursor = step.cursor
            }
            if finished { break }
            let left = try await KeyRotationFixture.rowsByKey(store)[oldKey] ?? 0
            try store.close()
            interruptions += 1
            store = try Fixture.open(directory)
            // The reopened store seals under the new key and still opens what is under the old one.
            #expect(store.dataKeyID == newKey)
            #expect(try await KeyRotationFixture.rowsByKey(store)[oldKey] ?? 0 == left)
            let reading = KeyRotationFixture(store: store, histories: before.histories, profiles: before.profiles,
                                             outcomes: before.outcomes)
            #expect(try await reading.readsBackAs(before))
        }
        defer { try? store.close() }
        #expect(interruptions > 1)
        #expect(!store.keyRotationPending)
        #expect(try await KeyRotationFixture.rowsByKey(store) == [newKey: 144 + 3 + 2])
        #expect(try await KeyRotationFixture.dataKeys(store) == [newKey])
        let reading = KeyRotationFixture(store: store, histories: before.histories, profiles: before.profiles, outcomes: before.outcomes)
        #expect(try await reading.readsBackAs(before))
    }

    @Test("A payload that does not open stays under the old key, which is kept; the rotation finishes and counts it")
    func unreadablePayloadKeepsOldKey() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Fixture.open(directory)
        defer { try? store.close() }
        let before = try await KeyRotationFixture.seed(store, count: 10)
        let oldKey = store.dataKeyID
        let victim = try #require(before.histories.keys.sorted().first)
        try await store.write { db in
            try db.execute(sql: "UPDATE dispense_version SET recorded_at = recorded_at + 1 WHERE dispense_id = ? AND version = 1",
                           arguments: [victim])
        }
        _ = try await store.startKeyRotation(now: Fixture.now)
        #expect(try await Self.finish(store, limit: 4) > 1)
        let report = try await store.keyringReport(now: Fixture.now)
        #expect(report.rotation?.unreadable == 1)
        #expect(report.rotation?.remaining == 1)
        #expect(Set(report.keys.filter { $0.purpose == "data" }.map(\.id)) == [oldKey, store.dataKeyID])
        #expect(report.keys.first { $0.id == oldKey }?.rowsUnderKey == 1)
        #expect(!store.keyRotationPending)
        // A new rotation may start once this one is over.
        guard case .started = try await store.startKeyRotation(now: Fixture.now) else {
            Issue.record("a rotation after a finished one was refused")
            return
        }
    }

    @Test("The keyring opens a version under any of its data keys and refuses an id it does not hold")
    func keyringOpensByKeyID() throws {
        let old = SecretKey.random()
        let new = SecretKey.random()
        let keyring = DataKeyring(currentID: "data-old", keys: ["data-old": old], master: SecretKey.random())
        let context = SealContext.dispenseVersion(id: "a", version: 1, status: "completed", recordedAt: 1)
        let sealedOld = try keyring.sealer.seal([1, 2, 3], for: context)
        keyring.add(id: "data-new", key: new)
        #expect(keyring.sealer.keyID == "data-old")
        keyring.makeCurrent(id: "data-new")
        let sealer = keyring.sealer
        #expect(sealer.keyID == "data-new")
        let sealedNew = try sealer.seal([4, 5], for: context)
        #expect(sealer.open(sealedOld, keyID: "data-old", for: context) == [1, 2, 3])
        #expect(sealer.open(sealedNew, keyID: "data-new", for: context) == [4, 5])
        #expect(sealer.open(sealedOld, keyID: "data-new", for: context) == nil)
        #expect(sealer.open(sealedOld, keyID: "data-gone", for: context) == nil)
        #expect(!sealer.knows(keyID: "data-gone"))
    }
}
