import ArgumentParser
import Foundation
import PillboxClient
import PillboxConsole

/// Options every subcommand takes.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "The daemon's socket (default: $PILLBOX_SOCKET, else /run/pillbox/pillbox.sock).")
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
            response = try await LocalClient(socketPath: socketPath, acceptLanguage: Words.language.rawValue).response(to: endpoint)
        } catch let problem as LocalProblem {
            throw Output.problem(problem)
        } catch {
            Output.error("\(error)")
            Output.error(tr("is pillboxd running? `systemctl status pillboxd`; `sudo` may be needed to open the socket",
                            "pillboxd est-il en marche ? `systemctl status pillboxd` ; `sudo` peut être nécessaire pour ouvrir le socket"))
            throw ExitCode(69)
        }
        if json {
            Output.raw(response.body)
            return nil
        }
        do {
            return LocalAnswer(value: try response.decode(Answer.self), response: response)
        } catch {
            Output.error(tr("cannot read pillboxd's answer (HTTP \(response.status)): \(error)",
                            "réponse de pillboxd illisible (HTTP \(response.status)) : \(error)"))
            throw ExitCode(76)
        }
    }
}
