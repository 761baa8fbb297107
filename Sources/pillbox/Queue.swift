import ArgumentParser
import Foundation

struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the upload queue: pending, sent or dead-lettered (failed) versions.")

    @Option(name: .long, help: "pending, sent or failed (default: all).")
    var state: String?

    @Option(name: .long, help: "At most this many entries.")
    var limit: Int = 100

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        var path = "/v1/outbox?limit=\(limit)"
        if let state { path += "&state=\(state.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? state)" }
        let response = try await connection.call("GET", path)
        guard response.status == 200, let page = response.json else { throw Output.problem(response) }
        if connection.json { return Output.raw(response.body) }
        let entries = page["entries"] as? [[String: Any]] ?? []
        Output.line("\(entries.count) entr\(entries.count == 1 ? "y" : "ies")")
        for entry in entries {
            let error = (entry["lastError"] as? String).map { "  \($0)" } ?? ""
            Output.line("#\(entry["seq"] ?? "?")  \(entry["state"] ?? "?")  dispense \(entry["dispenseId"] ?? "?") v\(entry["version"] ?? "?")"
                + "  attempts \(entry["attempts"] ?? 0)\(error)")
        }
    }
}

struct Retry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Put a dead-lettered entry back in the upload queue.")

    @Argument(help: "The entry's number, as `pillbox queue --state failed` shows it.")
    var seq: Int64

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let response = try await connection.call("POST", "/v1/outbox/\(seq)/retry")
        guard response.status == 200 else { throw Output.problem(response) }
        if connection.json { return Output.raw(response.body) }
        Output.line("Entry #\(seq) queued again; an upload attempt was requested.")
    }
}

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ask the daemon to try uploading now.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let response = try await connection.call("POST", "/v1/sync")
        guard response.status == 202 else { throw Output.problem(response) }
        if connection.json { return Output.raw(response.body) }
        Output.line("Upload attempt requested; `pillbox status` shows the queue.")
    }
}
