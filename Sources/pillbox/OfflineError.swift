import ArgumentParser

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
    /// Readable, in English (the tool's fr/en text is chosen by `Verify`); no patient data.
    let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { message }

    var exitCode: ExitCode {
        switch code {
        case .configuration, .key: ExitCode(78)
        case .daemonRunning: ExitCode(75)
        case .io: ExitCode(74)
        }
    }
}
