import ArgumentParser
import PillboxClient

struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the upload queue: pending, sent or dead-lettered (failed) versions.")

    @Option(name: .long, help: "pending, sent or failed (default: all).")
    var state: String?

    @Option(name: .long, help: "At most this many entries.")
    var limit: Int = 100

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard let page = try await connection.call(LocalAPI.outbox(state: state, limit: limit))?.value else { return }
        Output.line("\(page.entries.count) entr\(page.entries.count == 1 ? "y" : "ies")")
        for entry in page.entries {
            Output.line("#\(entry.seq)  \(entry.state.rawValue)  dispense \(entry.dispenseId) v\(entry.version)"
                + "  attempts \(entry.attempts)\(entry.lastError.map { "  \($0)" } ?? "")")
        }
    }
}
