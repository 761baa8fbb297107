/// Why the daemon cannot start or run. Each carries the exit code the process ends with
/// (sysexits: 78 configuration, 74 I/O, 69 unavailable) and a message for the technician.
package struct DaemonError: Error, Sendable, CustomStringConvertible {
    package enum Code: String, Sendable {
        /// A setting is missing, unknown or invalid.
        case configuration
        /// The master key is missing, unreadable, too permissive, malformed or wrong.
        case key
        /// The data folder or socket cannot be used.
        case io
    }

    package var code: Code
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The process exit code for this error.
    package var exitCode: Int32 {
        switch code {
        case .configuration, .key: 78
        case .io: 74
        }
    }

    package var description: String { message }
}
