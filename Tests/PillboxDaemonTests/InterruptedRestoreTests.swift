import Foundation
import PillboxDaemon
import PillboxTestSupport
import Testing

/// A restore cut between its two renames (only on a filesystem that cannot exchange) leaves no
/// data folder, or the empty one systemd's StateDirectory= makes; the daemon must not start a
/// new, empty store there.
@Suite("Start after an interrupted restore")
struct InterruptedRestoreTests {
    static func folder(_ path: String, database: Bool) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        if database { try Data("x".utf8).write(to: URL(fileURLWithPath: (path as NSString).appendingPathComponent("pillbox.sqlite"))) }
    }

    @Test("No data folder, or an empty one, beside a restore's folder with a database: refused, nothing created",
          arguments: [false, true])
    func refused(emptyFolderExists: Bool) throws {
        let site = try TemporaryDirectory()
        defer { site.remove() }
        let data = site.file("data")
        if emptyFolderExists { try Self.folder(data, database: false) }
        try Self.folder(site.file("data.replaced-20261201T130000.000Z"), database: true)
        #expect {
            try Daemon.prepareDataDir(data)
        } throws: { error in
            let error = error as? DaemonError
            return error?.code == .io && error?.message.contains("a pillbox restore was interrupted") == true
                && error?.message.contains(site.file("data.replaced-20261201T130000.000Z")) == true
        }
        #expect(FileManager.default.fileExists(atPath: data) == emptyFolderExists)

        try FileManager.default.removeItem(atPath: site.file("data.replaced-20261201T130000.000Z"))
        try Self.folder(site.file(".data.restoring-20261201T130000.000Z"), database: true)
        #expect(throws: DaemonError.self) { try Daemon.prepareDataDir(data) }
    }

    @Test("Started normally: a data folder with its database beside a replaced one; a new folder beside an empty leftover")
    func started() throws {
        let site = try TemporaryDirectory()
        defer { site.remove() }
        try Self.folder(site.file("data"), database: true)
        try Self.folder(site.file("data.replaced-20261201T130000.000Z"), database: true)
        try Daemon.prepareDataDir(site.file("data"))

        try Self.folder(site.file("other.replaced-20261201T130000.000Z"), database: false)
        try Daemon.prepareDataDir(site.file("other"))
        #expect(FileManager.default.fileExists(atPath: site.file("other")))
    }
}
