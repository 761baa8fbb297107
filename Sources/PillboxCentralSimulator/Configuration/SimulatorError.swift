/// Why the simulator could not start or serve. A value with a code and a readable
/// description that names the setting or file at fault.
package struct SimulatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    package enum Code: String, Sendable, Equatable {
        /// A setting that cannot work.
        case configuration
        /// A certificate or key file that cannot be used.
        case tls
        /// The database could not be opened, read or written.
        case database
        /// A listener could not be bound, or the server stopped before both were.
        case startup
    }

    /// What kind of failure this is.
    package var code: Code
    /// Readable explanation, safe to log (no resource content).
    package var message: String

    /// An error of kind `code`.
    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    package var description: String { "\(code.rawValue): \(message)" }
}
