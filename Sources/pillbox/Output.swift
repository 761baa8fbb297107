import ArgumentParser
import Foundation
import PillboxClient
import PillboxConsole

/// Printing helpers: stdout for answers, stderr for problems, both unbuffered (`ConsoleStream`).
enum Output {
    static func line(_ text: String) { ConsoleStream.standardOutput.line(text) }

    static func error(_ text: String) { ConsoleStream.standardError.line("pillbox: \(text)") }

    static func raw(_ data: Data) { ConsoleStream.standardOutput.raw(data) }

    /// Prints `value` as JSON (sorted keys, pretty) on standard output.
    static func json(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        raw(try encoder.encode(value))
    }

    /// Prints a problem readably and returns the exit code for it.
    static func problem(_ problem: LocalProblem) -> ExitCode {
        error("\(problem)")
        for field in problem.details?.errors ?? [] {
            error("  \(field.path): \(field.message)")
        }
        switch problem.status {
        case 400, 413: return ExitCode(65)
        case 409:
            // A broken audit chain is not a busy daemon: trying again later will not mend it.
            return problem.details?.type.hasSuffix("/audit-chain-broken") == true ? ExitCode(65) : ExitCode(75)
        case 403:
            error(tr("this user may not do that: run it as root (sudo) or as a user with the admin role (docs/configuration.md, Roles)",
                     "cet utilisateur n'a pas ce droit : lancer la commande en root (sudo) ou avec un utilisateur de rôle admin (docs/configuration.md, Roles)"))
            return ExitCode(77)
        case 404: return ExitCode(66)
        default: return ExitCode(1)
        }
    }
}
