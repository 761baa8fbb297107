import ArgumentParser
import PillboxClient

struct Retry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Put a dead-lettered entry back in the upload queue.")

    @Argument(help: "The entry's number, as `pillbox queue --state failed` shows it.")
    var seq: Int64

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard let answer = try await connection.call(LocalAPI.retry(seq: seq))?.value else { return }
        Output.line("Entry #\(answer.seq) queued again; an upload attempt was requested.")
    }
}
