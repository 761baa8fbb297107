/// Why the daemon could not be asked.
package struct LocalClientError: Error, CustomStringConvertible, Sendable {
    package var message: String
    package var description: String { message }
}
