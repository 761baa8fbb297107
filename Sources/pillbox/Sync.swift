import ArgumentParser
import PillboxClient
import PillboxConsole

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ask the daemon to try uploading now.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard try await connection.call(LocalAPI.sync) != nil else { return }
        Output.line(tr("Upload attempt requested; `pillbox status` shows the queue.",
                       "Essai d'envoi demandé ; `pillbox status` montre la file."))
    }
}
