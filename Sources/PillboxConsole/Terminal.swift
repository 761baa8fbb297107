#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// What the tool may do on its outputs: colour and progress lines only on a terminal.
package enum Terminal {
    /// True when standard output is a terminal, `TERM` is not `dumb` and `NO_COLOR` is unset.
    package static let colourOnStdout: Bool = isatty(1) == 1 && allowsColour(ProcessInfo.processInfo.environment)

    /// True when standard error is a terminal (progress lines go there).
    package static let progressOnStderr: Bool = isatty(2) == 1

    package static func allowsColour(_ environment: [String: String]) -> Bool {
        environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    package enum Colour: String, Sendable {
        case red = "31", yellow = "33", green = "32", bold = "1"
    }

    /// `text` in `colour` when standard output is a terminal; as is otherwise.
    package static func paint(_ text: String, _ colour: Colour, enabled: Bool = colourOnStdout) -> String {
        enabled ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
    }
}
