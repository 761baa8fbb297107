import Foundation
import PillboxWire

/// The daemon answered with a problem (RFC 9457) instead of the endpoint's answer.
public struct LocalProblem: Error, CustomStringConvertible, Sendable {
    /// The HTTP status.
    public var status: Int
    /// The problem body; nil when the body was not one.
    public var details: ProblemDetails?

    public var description: String {
        "\(details?.title ?? "error") (HTTP \(status)): \(details?.detail ?? "")"
    }
}
