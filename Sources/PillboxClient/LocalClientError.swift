/// Why the daemon could not be asked.
public struct LocalClientError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
