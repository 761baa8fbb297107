import ArgumentParser
import Foundation
import PillboxClient
import PillboxWire

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

    /// Calls `endpoint`. With `--json`, prints the daemon's answer as sent and returns nil;
    /// otherwise returns it decoded. On a problem, an unreachable daemon or an answer that
    /// does not decode, prints why and exits with a code for it.
    func call<Answer>(_ endpoint: LocalEndpoint<Answer>) async throws -> LocalAnswer<Answer>? {
        let response: LocalResponse
        do {
            response = try await LocalClient(socketPath: socketPath).response(to: endpoint)
        } catch let problem as LocalProblem {
            throw Output.problem(problem)
        } catch {
            Output.error("\(error)")
            throw ExitCode(69)
        }
        if json {
            Output.raw(response.body)
            return nil
        }
        do {
            return LocalAnswer(value: try response.decode(Answer.self), response: response)
        } catch {
            Output.error("cannot read pillboxd's answer (HTTP \(response.status)): \(error)")
            throw ExitCode(76)
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

    /// Prints a problem readably and returns the exit code for it.
    static func problem(_ problem: LocalProblem) -> ExitCode {
        error("\(problem)")
        for field in problem.details?.errors ?? [] {
            error("  \(field.path): \(field.message)")
        }
        switch problem.status {
        case 400, 413: return ExitCode(65)
        case 409: return ExitCode(75)
        case 403: return ExitCode(77)
        case 404: return ExitCode(66)
        default: return ExitCode(1)
        }
    }
}
