import ArgumentParser
import Foundation
import PillboxClient
import PillboxConsole
import PillboxModel

struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the upload queue: pending, sent or dead-lettered (failed) versions (admin).",
        discussion: """
            One line per entry, oldest first: its number (for `pillbox retry`), state, dispense \
            id and version, age, upload attempts and the last error (a status code or error \
            kind, never patient data).

            Examples:
              sudo pillbox queue --state failed
              sudo pillbox queue --state pending --limit 20
            \(HelpText.exitCodes)
            """)

    @Option(name: .long, help: "pending, sent or failed (default: all).")
    var state: String?

    @Option(name: .long, help: "At most this many entries.")
    var limit: Int = 100

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard let page = try await connection.call(LocalAPI.outbox(state: state, limit: limit))?.value else { return }
        let count = page.entries.count
        Output.line(tr("\(count) entr\(count == 1 ? "y" : "ies")", "\(count) entrée\(count == 1 ? "" : "s")"))
        let now = Date()
        var table = Table()
        for entry in page.entries {
            let age = Timestamps.parseRFC3339(entry.createdAt).map { Human.age(seconds: Int(now.timeIntervalSince($0))) } ?? entry.createdAt
            table.add(["#\(entry.seq)", entry.state.rawValue, tr("dispense", "délivrance") + " \(entry.dispenseId) v\(entry.version)",
                       age, tr("attempts \(entry.attempts)", "essais \(entry.attempts)"), entry.lastError ?? ""])
        }
        for line in table.lines { Output.line(line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)) }
    }
}
