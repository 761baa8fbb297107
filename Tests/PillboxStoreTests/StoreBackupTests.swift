import Foundation
import GRDB
import PillboxCrypto
import PillboxModel
@testable import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Backups: snapshot, manifest, verification, restore")
struct StoreBackupTests {
    /// A store with 5 records, one corrected; returns it with its folder.
    static func storeWithRecords() async throws -> (TemporaryDirectory, Store) {
        let directory = try TemporaryDirectory()
        let store = try Fixture.open(directory)
        var first: DispenseRecord?
        for n in 0..<5 {
            let record = try await Fixture.create(store, Fixture.dispense(id: "BK-\(n)"))
            if n == 0 { first = record }
        }
        _ = try await store.correctDispense(id: first!.id, correction: Fixture.correction(Samples.dispense(id: "BK-0"),
                                            reason: "typo"), now: Fixture.now, audit: Fixture.changeAudit)
        return (directory, store)
    }

    @Test("a backup is one self-contained file and a manifest that match the snapshot, and it verifies")
    func backupMatchesManifest() async throws {
        let (directory, store) = try await Self.storeWithRecords()
        defer { directory.remove() }
        let destination = try TemporaryDirectory()
        defer { destination.remove() }
        let outcome = try await store.backup(into: destination.path, masterKey: Fixture.masterKey, pillboxVersion: "test",
                                             now: Fixture.now)
        #expect((outcome.path as NSString).lastPathComponent == "pillbox-backup-20261201T120000.000Z")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outcome.path).sorted() == ["manifest.json", "pillbox.sqlite"])
        let manifest = outcome.manifest
        #expect(manifest.records == 5)
        #expect(manifest.versions == 6)
        #expect(manifest.outbox == .init(pending: 6, sent: 0, failed: 0))
        #expect(manifest.keyIds.count == 3)
        #expect(manifest.masterKeyId == Fixture.masterKey.keyID)
        #expect(manifest.schemaMigrations == ["v1", "v2-upload", "v3-normalised-lot-index", "v4-key-rotation", "v5-versions-by-patient",
                                              "v6-store-summary", "v7-outbox-summary", "v8-audit-anchor"])
        let file = SHA256Digest.hashFile(atPath: (outcome.path as NSString).appendingPathComponent("pillbox.sqlite"))
        #expect(file.map { Hex.encode($0.digest) } == manifest.sha256)
        #expect(file?.bytes == manifest.databaseBytes)
        #expect(try BackupManifest.read(folder: outcome.path) == manifest)
        #expect(try BackupVerifier.verify(folder: outcome.path, masterKey: Fixture.masterKey) == manifest)
        #expect(store.lastBackup() == LastBackup(at: "2026-12-01T12:00:00.000Z", path: outcome.path, records: 5))
        do {
            _ = try BackupVerifier.verify(folder: outcome.path, masterKey: .random())
            Issue.record("a wrong key verified")
        } catch {
            #expect(error.code == .wrongKey)
        }
        try store.close()
    }

    @Test("a destination inside the data folder, missing or busy is refused and nothing is left")
    func refusedDestinations() async throws {
        let (directory, store) = try await Self.storeWithRecords()
        defer { directory.remove() }
        await #expect(throws: BackupError.self) {
            _ = try await store.backup(into: directory.path, masterKey: Fixture.masterKey, pillboxVersion: "t")
        }
        await #expect(throws: BackupError.self) {
            _ = try await store.backup(into: directory.file("none"), masterKey: Fixture.masterKey, pillboxVersion: "t")
        }
        let destination = try TemporaryDirectory()
        defer { destination.remove() }
        let held = open(destination.file(".pillbox-backup.lock"), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        #expect(flock(held, LOCK_EX | LOCK_NB) == 0)
        do {
            _ = try await store.backup(into: destination.path, masterKey: Fixture.masterKey, pillboxVersion: "t")
            Issue.record("a second backup into a busy destination ran")
        } catch let error as BackupError {
            #expect(error.code == .busy)
        }
        close(held)
        // A partial folder left by a crash is removed by the next backup.
        try FileManager.default.createDirectory(atPath: destination.file(".pillbox-backup-old.partial"), withIntermediateDirectories: false)
        let outcome = try await store.backup(into: destination.path, masterKey: Fixture.masterKey, pillboxVersion: "t")
        #expect(try FileManager.default.contentsOfDirectory(atPath: destination.path).sorted()
            == [".pillbox-backup.lock", (outcome.path as NSString).lastPathComponent])
        #expect(store.lastBackup()?.path == outcome.path)
        try store.close()
    }

    @Test("restore keeps the old folder aside, keeps sent versions sent, and is refused while the folder is locked")
    func restoreSwapsFolders() async throws {
        let (directory, store) = try await Self.storeWithRecords()
        defer { directory.remove() }
        // Two versions sent before the backup.
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE outbox SET state = 'sent', sent_at = 1 WHERE seq IN (1, 2)")
        }
        let destination = try TemporaryDirectory()
        defer { destination.remove() }
        let outcome = try await store.backup(into: destination.path, masterKey: Fixture.masterKey, pillboxVersion: "t")
        #expect(outcome.manifest.outbox == .init(pending: 4, sent: 2, failed: 0))
        try store.close()

        let site = try TemporaryDirectory()
        defer { site.remove() }
        let data = site.file("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: false)
        try Data("old".utf8).write(to: URL(fileURLWithPath: (data as NSString).appendingPathComponent("marker")))
        // Close-on-exec: without it a process another suite starts meanwhile inherits the
        // descriptor and holds the lock after `close(held)` (seen: the last restore refused).
        let held = open((data as NSString).appendingPathComponent("pillbox.lock"), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        #expect(flock(held, LOCK_EX | LOCK_NB) == 0)
        #expect(throws: BackupError.self) {
            _ = try DataFolderRestore.restore(backup: outcome.path, into: data, masterKey: Fixture.masterKey)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.path) == ["data"])
        close(held)
        #expect(throws: BackupError.self) {
            _ = try DataFolderRestore.restore(backup: outcome.path, into: data, masterKey: .random())
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.path) == ["data"])

        let later = Fixture.now.addingTimeInterval(3600)
        let restored = try DataFolderRestore.restore(backup: outcome.path, into: data, masterKey: Fixture.masterKey, now: later)
        #expect(restored.pendingUploads == 4)
        #expect(restored.keptAside == site.file("data.replaced-20261201T130000.000Z"))
        #expect(FileManager.default.contents(atPath: site.file("data.replaced-20261201T130000.000Z/marker")) == Data("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: data).sorted() == ["pillbox.lock", "pillbox.sqlite"])
        let reopened = try Store.open(path: (data as NSString).appendingPathComponent("pillbox.sqlite"), masterKey: Fixture.masterKey,
                                      logger: Fixture.logger, now: later)
        let states = try await reopened.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, state, next_attempt_at FROM outbox ORDER BY seq")
                .map { "\($0["seq"] as Int64):\($0["state"] as String):\(($0["next_attempt_at"] as Double) == later.timeIntervalSince1970)" }
        }
        #expect(states == ["1:sent:false", "2:sent:false", "3:pending:true", "4:pending:true", "5:pending:true", "6:pending:true"])
        #expect(try await reopened.statistics().recordCount == 5)
        try reopened.close()
    }
}
