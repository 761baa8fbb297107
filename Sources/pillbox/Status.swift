import ArgumentParser
import Foundation

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the daemon's state: records, uploads, key, database size.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let response = try await connection.call("GET", "/v1/status")
        guard response.status == 200, let status = response.json else { throw Output.problem(response) }
        if connection.json { return Output.raw(response.body) }
        let central = status["central"] as? [String: Any] ?? [:]
        Output.line("Pillbox \(status["version"] ?? "?") — up \(status["uptimeSeconds"] ?? 0) s")
        Output.line("Records:         \(status["records"] ?? 0)")
        Output.line("Pending uploads: \(status["pendingUploads"] ?? 0)"
            + ((status["oldestPendingAgeSeconds"] as? Int).map { " (oldest \($0) s)" } ?? ""))
        Output.line("Dead letters:    \(status["deadLetters"] ?? 0)")
        if central["configured"] as? Bool == true {
            let reachable = (central["reachable"] as? Bool).map { $0 ? "reachable" : "UNREACHABLE" } ?? "not tried yet"
            Output.line("Central record:  \(reachable); last success \(central["lastSuccessAt"] as? String ?? "never")")
            if let error = central["lastError"] as? String { Output.line("Last error:      \(error)") }
        } else {
            Output.line("Central record:  not configured (local-only mode)")
        }
        Output.line("Master key id:   \(status["keyId"] ?? "?")")
        Output.line("Database size:   \(status["databaseBytes"] ?? 0) bytes")
    }
}
