import ArgumentParser
import Foundation
import PillboxClient
import PillboxConsole
import PillboxModel
import PillboxWire

/// `pillbox audit tail [-f]`: the latest audit entries, then (with -f) new ones as they come.
struct AuditTail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Show the latest audit entries; with -f, keep showing new ones (Ctrl-C to stop).",
        discussion: """
            Each line: sequence number, local time, caller (uid and role), action, HTTP outcome, and the \
            dispense id when there is one. With --json, one audit entry per line as JSON.

            Exit codes: 0 done; 65 a bad --since; 69 pillboxd cannot be reached; 77 this user is not an admin.
            """)

    @Option(name: [.customShort("n"), .customLong("lines")], help: "How many of the latest entries to show first.")
    var lines = 20

    @Option(name: .long, help: "Look for the latest entries from this day on (YYYY-MM-DD; default: today).")
    var since: String?

    @Flag(name: .shortAndLong, help: "Follow: keep showing new entries as they are written.")
    var follow = false

    @Option(name: .long, help: "With -f, seconds between two looks at the trail.")
    var interval: Double = 2

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard lines >= 0 else { throw ValidationError(tr("--lines must be 0 or more", "--lines doit être 0 ou plus")) }
        guard interval >= 0.2 && interval <= 3600 else {
            throw ValidationError(tr("--interval must be between 0.2 and 3600 seconds", "--interval doit être entre 0,2 et 3600 secondes"))
        }
    }

    func run() async throws {
        var quiet = connection
        quiet.json = false
        // The day's entries, paged by sequence number; only the last `lines` are shown.
        var after: Int64 = 0
        var latest: [AuditEntry] = []
        let day = since ?? Self.today()
        while true {
            guard let page = try await quiet.call(LocalAPI.audit(since: day, after: after, limit: 500))?.value else { return }
            latest = Array((latest + page.entries).suffix(lines))
            if let last = page.entries.last { after = last.seq }
            if page.entries.count < 500 { break }
        }
        show(latest)
        guard follow else { return }
        while true {
            try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            guard let page = try await quiet.call(LocalAPI.audit(after: after, limit: 500))?.value else { return }
            if let last = page.entries.last { after = last.seq }
            show(page.entries)
        }
    }

    /// Prints entries as aligned lines, or JSON lines with --json.
    func show(_ entries: [AuditEntry]) {
        guard !entries.isEmpty else { return }
        if connection.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for entry in entries {
                if let data = try? encoder.encode(entry) { Output.line(String(decoding: data, as: UTF8.self)) }
            }
            return
        }
        var table = Table()
        for entry in entries { table.add(Self.cells(entry)) }
        for line in table.lines { Output.line(line) }
    }

    /// One entry's columns: `#seq`, local time, `uid N (role)`, action, outcome, dispense id.
    static func cells(_ entry: AuditEntry) -> [String] {
        var cells = ["#\(entry.seq)", localTime(entry.at), "uid \(entry.uid) (\(entry.role))", entry.action, String(entry.outcome)]
        if let id = entry.dispenseID { cells.append(id) }
        return cells
    }

    static func localTime(_ at: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: at))
    }

    static func today() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }
}
