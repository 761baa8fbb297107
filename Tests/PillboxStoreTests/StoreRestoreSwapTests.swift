import CPillboxSys
import Foundation
@testable import PillboxStore
import PillboxTestSupport
import Testing

/// The last step of a restore: the data folder's name must hold a whole folder (the old one or
/// the restored one) at every moment, so a power cut mid-restore never leaves the daemon a
/// missing data folder to create empty.
@Suite("Restore: the data folder is swapped in one step")
struct StoreRestoreSwapTests {
    /// A backup of `StoreBackupTests`' store, and a site with a data folder holding `marker` = "old".
    static func site() async throws -> (backups: TemporaryDirectory, site: TemporaryDirectory, backup: String, data: String) {
        let (directory, store) = try await StoreBackupTests.storeWithRecords()
        defer { directory.remove() }
        let backups = try TemporaryDirectory()
        let outcome = try await store.backup(into: backups.path, masterKey: Fixture.masterKey, pillboxVersion: "t")
        try store.close()
        let site = try TemporaryDirectory()
        let data = site.file("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: false)
        try Data("old".utf8).write(to: URL(fileURLWithPath: (data as NSString).appendingPathComponent("marker")))
        return (backups, site, outcome.path, data)
    }

    static let later = Fixture.now.addingTimeInterval(3600)
    static let aside = "data.replaced-20261201T130000.000Z"

    /// The site once a restore has finished: the restored folder and the old one aside, nothing else.
    static func expectRestored(_ site: TemporaryDirectory, _ data: String) throws {
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.path).sorted() == ["data", aside])
        #expect(try FileManager.default.contentsOfDirectory(atPath: data).sorted() == ["pillbox.lock", "pillbox.sqlite"])
        #expect(FileManager.default.contents(atPath: site.file("\(aside)/marker")) == Data("old".utf8))
    }

    @Test("One atomic exchange: at that moment the data folder is already the whole restored one")
    func exchanges() async throws {
        let (backups, site, backup, data) = try await Self.site()
        defer { backups.remove(); site.remove() }
        var calls: [String] = []
        var seenAtExchange: [String] = []
        let outcome = try DataFolderRestore.restore(backup: backup, into: data, masterKey: Fixture.masterKey, now: Self.later,
                                                    exchange: { staging, folder in
            calls.append("\((staging as NSString).lastPathComponent) <-> \((folder as NSString).lastPathComponent)")
            let status = pillbox_rename_exchange(staging, folder)
            seenAtExchange = (try? FileManager.default.contentsOfDirectory(atPath: folder).sorted()) ?? []
            return status
        })
        #expect(calls == [".data.restoring-20261201T130000.000Z <-> data"])
        #expect(seenAtExchange == ["pillbox.lock", "pillbox.sqlite"])
        #expect(outcome.keptAside == site.file(Self.aside))
        try Self.expectRestored(site, data)
    }

    @Test("A filesystem that cannot exchange (EINVAL): two renames, the same result")
    func fallsBackToRenames() async throws {
        let (backups, site, backup, data) = try await Self.site()
        defer { backups.remove(); site.remove() }
        let outcome = try DataFolderRestore.restore(backup: backup, into: data, masterKey: Fixture.masterKey, now: Self.later,
                                                    exchange: { _, _ in errno = EINVAL; return -1 })
        #expect(outcome.keptAside == site.file(Self.aside))
        try Self.expectRestored(site, data)
    }

    @Test("Any other failure of the exchange changes nothing and removes the staging folder")
    func failedExchangeChangesNothing() async throws {
        let (backups, site, backup, data) = try await Self.site()
        defer { backups.remove(); site.remove() }
        #expect {
            _ = try DataFolderRestore.restore(backup: backup, into: data, masterKey: Fixture.masterKey, now: Self.later,
                                              exchange: { _, _ in errno = EIO; return -1 })
        } throws: { error in
            (error as? BackupError)?.code == .io && (error as? BackupError)?.message.contains("nothing was changed") == true
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.path) == ["data"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: data).sorted() == ["marker"])
    }

    @Test("pillbox_rename_exchange swaps two folders; a missing one is refused with ENOENT")
    func exchangeCall() throws {
        let site = try TemporaryDirectory()
        defer { site.remove() }
        for name in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: site.file(name), withIntermediateDirectories: false)
            try Data(name.utf8).write(to: URL(fileURLWithPath: site.file("\(name)/marker")))
        }
        #expect(pillbox_rename_exchange(site.file("a"), site.file("b")) == 0)
        #expect(FileManager.default.contents(atPath: site.file("a/marker")) == Data("b".utf8))
        #expect(FileManager.default.contents(atPath: site.file("b/marker")) == Data("a".utf8))
        let status = pillbox_rename_exchange(site.file("a"), site.file("missing"))
        let code = errno
        #expect(status == -1 && code == ENOENT)
    }
}
