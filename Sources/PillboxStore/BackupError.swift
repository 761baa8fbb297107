/// Why a backup or a restore did not happen. Messages name files, counts and key ids only,
/// never record content.
package struct BackupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    package enum Code: String, Sendable, Equatable {
        /// The destination is not an absolute path to an existing folder, or it is inside the data folder.
        case destination
        /// Another backup into the same destination is running.
        case busy
        /// The backup is damaged, incomplete, not a Pillbox backup, or does not match its manifest.
        case invalid
        /// The master key does not open the backup's keys.
        case wrongKey
        /// A daemon holds the data folder's lock (restore needs it stopped).
        case daemonRunning
        /// Reading or writing files failed.
        case io
    }

    /// The kind of failure.
    package let code: Code
    /// A readable explanation, safe to log and print.
    package let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }
}
