import ArgumentParser
import PillboxConsole

/// Why the tool could not open a data folder itself (`OfflineDataFolder`); each code has its
/// exit code, documented in docs/operations.md.
struct OfflineError: Error, CustomStringConvertible {
    enum Code {
        /// The configuration file cannot be read or is invalid (exit 78).
        case configuration
        /// No master key, or it cannot be read, or it does not open the folder's keys (exit 78).
        case key
        /// A pillboxd holds the data folder's lock (exit 75).
        case daemonRunning
        /// The folder or its database cannot be read, or its schema is not this version's (exit 74).
        case io
    }

    let code: Code
    /// Readable, in English (`localized` gives the tool's language); no patient data.
    let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { message }

    /// The message in the tool's language.
    var localized: String {
        switch code {
        case .daemonRunning:
            tr(message, "pillboxd est en marche sur ce dossier de données : arrêtez-le d'abord (systemctl stop pillboxd)")
        case .key: tr(message, "clé maîtresse : \(message)")
        case .configuration: tr(message, "configuration : \(message)")
        case .io: tr(message, "lecture impossible : \(message)")
        }
    }

    var exitCode: ExitCode {
        switch code {
        case .configuration, .key: ExitCode(78)
        case .daemonRunning: ExitCode(75)
        case .io: ExitCode(74)
        }
    }

    /// Prints the message on standard error and returns the exit code, for `throw error.reported()`.
    func reported() -> ExitCode {
        Output.error(localized)
        return exitCode
    }
}
