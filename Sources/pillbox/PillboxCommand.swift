import ArgumentParser
import Foundation
import PillboxClient

/// `pillbox`: the technician's and integrator's tool. Talks to `pillboxd` over its socket.
@main
struct PillboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pillbox",
        abstract: "Look after a Pillbox: status, dispenses, profiles, the upload queue.",
        subcommands: [Status.self, Dispense.self, Profile.self, Queue.self, Retry.self, Sync.self])
}

/// Options every subcommand takes.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "The daemon's socket (default: $PILLBOX_SOCKET or /run/pillbox/pillbox.sock).")
    var socket: String?

    @Flag(name: .long, help: "Print the daemon's JSON answer instead of a readable summary.")
    var json = false

    var socketPath: String {
        socket ?? ProcessInfo.processInfo.environment["PILLBOX_SOCKET"] ?? "/run/pillbox/pillbox.sock"
    }

    /// Sends one request and returns the answer, or exits with a readable message.
    func call(_ method: String, _ path: String, body: Data? = nil) async throws -> LocalResponse {
        let client = LocalClient(socketPath: socketPath)
        do {
            return try await client.send(method, path, body: body)
        } catch {
            Output.error("\(error)")
            throw ExitCode(69)
        }
    }
}

/// Printing helpers: stdout for answers, stderr for problems.
enum Output {
    static func line(_ text: String) { print(text) }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data("pillbox: \(text)\n".utf8))
    }

    static func raw(_ data: Data) {
        FileHandle.standardOutput.write(data)
        if data.last != UInt8(ascii: "\n") { print("") }
    }

    /// Prints a problem response readably and returns the exit code for it.
    static func problem(_ response: LocalResponse) -> ExitCode {
        let json = response.json ?? [:]
        error("\(json["title"] as? String ?? "error") (HTTP \(response.status)): \(json["detail"] as? String ?? "")")
        for field in json["errors"] as? [[String: Any]] ?? [] {
            error("  \(field["path"] as? String ?? "?"): \(field["message"] as? String ?? "")")
        }
        switch response.status {
        case 400, 413: return ExitCode(65)
        case 409: return ExitCode(75)
        case 403: return ExitCode(77)
        case 404: return ExitCode(66)
        default: return ExitCode(1)
        }
    }
}
