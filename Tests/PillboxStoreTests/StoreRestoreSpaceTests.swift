import Foundation
@testable import PillboxStore
import PillboxTestSupport
import Testing

/// A restore on a disk without room for the copy: refused before it starts when the free
/// space says so, and when the disk fills during the copy anyway, the partial copy goes and
/// the data folder is as it was. Either way the technician reads what to do.
@Suite("Restore: a disk without room for the copy", .serialized)
struct StoreRestoreSpaceTests {
    typealias Site = (backups: TemporaryDirectory, site: TemporaryDirectory, backup: String, data: String)

    /// Everything under `site`, with each file's bytes.
    static func snapshot(_ site: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: site)
        while let name = enumerator?.nextObject() as? String {
            files[name] = FileManager.default.contents(atPath: (site as NSString).appendingPathComponent(name)) ?? Data()
        }
        return files
    }

    /// Runs `restore` and returns its error (nil when it did not throw; any other error fails the test).
    static func refusal(_ restore: () throws -> RestoreOutcome) -> BackupError? {
        do {
            _ = try restore()
            return nil
        } catch let error as BackupError {
            return error
        } catch {
            Issue.record("not a BackupError: \(error)")
            return nil
        }
    }

    /// Mounts a tmpfs of `size` on `path` (root only, as CI runs); returns false if it cannot.
    static func mountTmpfs(_ path: String, size: String) async throws -> Bool {
        try await ChildProcess.run("/usr/bin/env", ["mount", "-t", "tmpfs", "-o", "size=\(size),mode=0700", "tmpfs", path]).code == 0
    }

    static func unmount(_ path: String) async {
        _ = try? await ChildProcess.run("/usr/bin/env", ["umount", path])
    }

    @Test("Free space below the copy's size: refused before anything is written, naming both sizes")
    func refusedByTheFreeSpace() async throws {
        let (backups, site, backup, data): Site = try await StoreRestoreSwapTests.site()
        defer { backups.remove(); site.remove() }
        let before = Self.snapshot(site.path)
        var copies = 0
        let error = Self.refusal {
            try DataFolderRestore.restore(backup: backup, into: data, masterKey: Fixture.masterKey, now: StoreRestoreSwapTests.later,
                                          copy: { _, _ in copies += 1 }, freeBytes: { _ in 512 * 1024 })
        }
        #expect(error?.code == .io)
        let message = error?.message ?? ""
        #expect(message.contains("not enough free space in \(site.path) for the restored copy: it needs about "))
        #expect(message.contains("MiB and 0.5 MiB are free"))
        #expect(message.hasSuffix("run pillbox restore again; nothing was changed"))
        #expect(copies == 0)
        #expect(Self.snapshot(site.path) == before)
    }

    @Test("The disk fills during the copy (ENOSPC): the partial copy is removed, the data folder untouched")
    func diskFillsDuringTheCopy() async throws {
        let (backups, site, backup, data): Site = try await StoreRestoreSwapTests.site()
        defer { backups.remove(); site.remove() }
        let before = Self.snapshot(site.path)
        let error = Self.refusal {
            try DataFolderRestore.restore(backup: backup, into: data, masterKey: Fixture.masterKey, now: StoreRestoreSwapTests.later,
                                          copy: { _, destination in
                                              try Data(repeating: 7, count: 4096).write(to: URL(fileURLWithPath: destination))
                                              throw NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileWriteUnknown.rawValue,
                                                            userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain,
                                                                                                     code: Int(ENOSPC))])
                                          })
        }
        #expect(error?.code == .io)
        #expect(error?.message == "the disk of \(site.path) filled up while copying the backup (ENOSPC); the copy was removed. "
            + "Free some space and run pillbox restore again; nothing was changed")
        #expect(Self.snapshot(site.path) == before)
    }

    @Test("On a real full filesystem: refused by its free space, or by ENOSPC when the check is bypassed; nothing changes")
    func realTmpfs() async throws {
        try #require(getuid() == 0, "mounting a tmpfs needs root (CI runs as root)")
        let (backups, outer, backup, _): Site = try await StoreRestoreSwapTests.site()
        defer { backups.remove(); outer.remove() }
        let backupSize = (try FileManager.default.attributesOfItem(atPath: backup + "/pillbox.sqlite")[.size] as? NSNumber)?.intValue ?? 0
        try #require(backupSize > 16 * 1024, "the backup's database is \(backupSize) bytes")
        for (size, bypassCheck) in [("1m", false), ("16k", true)] {
            let site = outer.file("site-\(size)")
            try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: false)
            try #require(try await Self.mountTmpfs(site, size: size))
            let data = (site as NSString).appendingPathComponent("data")
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: false)
            try Data("old".utf8).write(to: URL(fileURLWithPath: (data as NSString).appendingPathComponent("marker")))
            let before = Self.snapshot(site)
            let error = Self.refusal {
                try DataFolderRestore.restore(backup: backup, into: data, masterKey: Fixture.masterKey, now: StoreRestoreSwapTests.later,
                                              freeBytes: bypassCheck ? { _ in UInt64.max } : DataFolderRestore.freeBytes)
            }
            let after = Self.snapshot(site)
            await Self.unmount(site)
            #expect(error?.code == .io, "tmpfs \(size)")
            let expected = bypassCheck ? "filled up while copying the backup (ENOSPC)" : "not enough free space in \(site)"
            #expect(error?.message.contains(expected) == true, "tmpfs \(size): \(error?.message ?? "no error")")
            #expect(after == before, "tmpfs \(size): the site changed")
        }
    }
}
