import ArgumentParser
import PillboxClient
import PillboxConsole

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the daemon to try uploading now (admin).",
        discussion: """
            Wakes the uploader instead of waiting for its back-off; useful after the network or \
            the central record came back. `pillbox status` then shows the queue shrinking.

            Example:
              sudo pillbox sync
            \(HelpText.exitCodes)
              (75 here: no central record is configured: local-only mode)
            """)

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard try await connection.call(LocalAPI.sync) != nil else { return }
        Output.line(tr("Upload attempt requested; `pillbox status` shows the queue.",
                       "Essai d'envoi demandé ; `pillbox status` montre la file."))
    }
}
