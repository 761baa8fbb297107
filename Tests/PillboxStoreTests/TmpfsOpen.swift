import Foundation
@testable import PillboxStore
import PillboxTestSupport
import Testing

/// A store opened on a real, small disk (a tmpfs; needs root, as CI has).
enum TmpfsOpen {
    /// Copies `directory`'s database onto a tmpfs of `size` bytes and opens it there (its
    /// upgrades run). Returns the refusal, if any, and a folder holding what the tmpfs then
    /// held (database and WAL), read back off it (the caller removes it), and the path the
    /// database had on the tmpfs (which the refusal names).
    static func open(_ directory: TemporaryDirectory, tmpfsBytes size: Int) async throws
        -> (refusal: StoreError?, after: TemporaryDirectory, path: String) {
        let site = try TemporaryDirectory()
        defer { site.remove() }
        try #require(try await StoreRestoreSpaceTests.mountTmpfs(site.path, size: "\(size)"))
        try FileManager.default.copyItem(atPath: Fixture.databasePath(directory), toPath: Fixture.databasePath(site))
        var refusal: StoreError?
        do { try Fixture.open(site).close() } catch let error as StoreError { refusal = error }
        // Read back off the tmpfs (opening it there needs room for its -shm file).
        let after = try TemporaryDirectory()
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: Fixture.databasePath(site) + suffix) {
            try FileManager.default.copyItem(atPath: Fixture.databasePath(site) + suffix, toPath: Fixture.databasePath(after) + suffix)
        }
        await StoreRestoreSpaceTests.unmount(site.path)
        return (refusal, after, Fixture.databasePath(site))
    }
}
