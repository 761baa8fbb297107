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
        Output.line("Failed uploads:  \(status["failedUploads"] ?? 0)")
        Output.line("Central record:  \(central["mode"] ?? "unknown")")
        Output.line("Master key id:   \(status["keyId"] ?? "?")")
        Output.line("Database size:   \(status["databaseBytes"] ?? 0) bytes")
    }
}
