import Foundation
import Logging
import PillboxCrypto
import PillboxStore
import PillboxTestSupport
import Testing

/// `pillbox audit archive` against the real daemon: asks before it removes, archives, and
/// leaves a trail that both chain checks pass.
@Suite("pillbox audit archive with the real daemon", .serialized)
struct AuditArchiveEndToEndTests {
    static func localTime(_ date: Date, _ format: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = format
        return formatter.string(from: date)
    }

    @Test("Five entries of last year: not removed without --yes, shown by --dry-run, archived with --yes; both checks pass after")
    func archive() async throws {
        let key = SecretKey.random()
        let fixture = try Fixture(config: BackupEndToEndTests.config, key: key)
        defer { fixture.directory.remove() }
        // Entries recorded 400 days ago, in the data folder before the daemon first opens it.
        let data = fixture.directory.file("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let store = try Store.open(path: (data as NSString).appendingPathComponent("pillbox.sqlite"), masterKey: key,
                                   logger: Logger(label: "seed"))
        let old = Date().addingTimeInterval(-400 * 86_400)
        try await store.appendAudit((0..<5).map { n in
            AuditEvent(at: old.addingTimeInterval(Double(n)), uid: 0, pid: 1, role: "admin", action: "GET /v1/status", outcome: 200)
        })
        try store.close()
        try await fixture.daemon.start()
        let socket = ["--socket", fixture.daemon.socketPath]
        let destination = fixture.directory.file("archive")
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: false)
        let today = Self.localTime(Date(), "yyyy-MM-dd")
        let command = ["audit", "archive", "--before", today, "--to", destination] + socket
        let plan = ["To archive: 5 audit entries, #1 to #5, recorded \(Self.localTime(old, "yyyy-MM-dd HH:mm:ss")) to "
                        + "\(Self.localTime(old.addingTimeInterval(4), "yyyy-MM-dd HH:mm:ss"))",
                    "Into:       a new file in \(destination), then removed from the store"]

        let unconfirmed = try await BackupEndToEndTests.pillbox(command)
        #expect(unconfirmed.code == 65)
        #expect(unconfirmed.out.split(separator: "\n").map(String.init) == plan)
        #expect(unconfirmed.err == "pillbox: this removes 5 audit entries from the store: add --yes to do it without asking\n")
        let dry = try await BackupEndToEndTests.pillbox(command + ["--dry-run"])
        #expect(dry.code == 0)
        #expect(dry.out.split(separator: "\n").map(String.init) == plan)
        #expect(try FileManager.default.contentsOfDirectory(atPath: destination) == [])

        let done = try await BackupEndToEndTests.pillbox(command + ["--yes"])
        #expect(done.code == 0, "\(done.err)")
        let lines = done.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "Archived:   " + plan[0].dropFirst("To archive: ".count))
        #expect(lines.dropFirst().first == "File:       \(destination)/pillbox-audit-1-5.jsonl")
        #expect(try FileManager.default.contentsOfDirectory(atPath: destination) == ["pillbox-audit-1-5.jsonl"])

        let file = "\(destination)/pillbox-audit-1-5.jsonl"
        let checked = try await BackupEndToEndTests.pillbox(["audit", "verify", "--archive", file] + socket)
        #expect(checked.code == 0, "\(checked.err)")
        let checkedLines = checked.out.split(separator: "\n").map(String.init)
        #expect(Array(checkedLines.prefix(2)) == [
            "\(file): 5 entries, #1 to #5; every line holds under this box's audit key.",
            "The trail in the store goes on from its last entry (the newest archive)."])
        #expect(checkedLines.last?.hasPrefix("SHA-256: ") == true)

        let verify = try await BackupEndToEndTests.pillbox(["audit", "verify"] + socket)
        #expect(verify.code == 0)
        #expect(verify.out.contains("No problem found."))
        let again = try await BackupEndToEndTests.pillbox(command + ["--yes"])
        #expect(again.code == 0)
        #expect(again.out == "Nothing recorded before \(today) is left in the audit trail: nothing to archive.\n")

        // The file edited (an outcome changed): exit 1, naming the line.
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "\"outcome\":200", with: "\"outcome\":403").write(toFile: file, atomically: true, encoding: .utf8)
        let edited = try await BackupEndToEndTests.pillbox(["audit", "verify", "--archive", file] + socket)
        #expect(edited.code == 1)
        #expect(edited.out == "\(file) does not hold: line 2: entry 1 does not hold.\n"
            + "It was edited or cut, or another box wrote it (another audit key).\n")

        #expect(try await fixture.daemon.stop() == 0)
        let offline = try await BackupEndToEndTests.pillbox(["verify", "--data-dir", data, "--key-file", fixture.keyPath])
        #expect(offline.code == 0, "\(offline.out)\(offline.err)")
    }
}
