import Foundation
import PillboxWire

/// The daemon answered with a problem (RFC 9457) instead of the endpoint's answer.
package struct LocalProblem: Error, CustomStringConvertible, Sendable {
    /// The HTTP status.
    package var status: Int
    /// The problem body; nil when the body was not one.
    package var details: ProblemDetails?

    package var description: String {
        "\(details?.title ?? "error") (HTTP \(status)): \(details?.detail ?? "")"
    }
}
