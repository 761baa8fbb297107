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

    @Option(name: .long, help: "Keep trying this long (seconds) to connect when pillboxd's socket is missing or refuses, then say it does not answer.")
    var connectSeconds: Int64 = LocalClient.defaultConnectSeconds

    var socketPath: String {
        socket ?? ProcessInfo.processInfo.environment["PILLBOX_SOCKET"] ?? "/run/pillbox/pillbox.sock"
    }

    func validate() throws {
        guard connectSeconds >= 1 else {
            throw ValidationError(tr("--connect-seconds must be at least 1", "--connect-seconds doit être au moins 1"))
        }
    }

    /// A client for the daemon's socket; `timeoutSeconds` bounds each request.
    func client(timeoutSeconds: Int64 = 30) -> LocalClient {
        LocalClient(socketPath: socketPath, timeoutSeconds: timeoutSeconds, connectSeconds: connectSeconds, acceptLanguage: Words.language.rawValue)
    }

    /// Calls `endpoint`. With `--json`, prints the daemon's answer as sent and returns nil;
    /// otherwise returns it decoded. On a problem, an unreachable daemon or an answer that
    /// does not decode, prints why and exits with a code for it.
    func call<Answer>(_ endpoint: LocalEndpoint<Answer>, timeoutSeconds: Int64 = 30) async throws -> LocalAnswer<Answer>? {
        let response: LocalResponse
        do {
            response = try await client(timeoutSeconds: timeoutSeconds).response(to: endpoint)
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
