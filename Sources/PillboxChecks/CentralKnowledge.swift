import Foundation

/// What Pillbox knew of the central record when it checked.
package struct CentralKnowledge: Sendable, Equatable {
    /// Whether a central record is configured at all.
    package var configured: Bool
    /// Whether the central record answered this time (the fills are live).
    package var answered: Bool
    /// When the fills were fetched: now when live, earlier when cached, nil when never.
    package var asOf: Date?
    /// Whether the central record is known to be failing (the daemon's health view).
    package var knownUnreachable: Bool

    /// Knowledge with the given facts.
    package init(configured: Bool, answered: Bool, asOf: Date?, knownUnreachable: Bool) {
        self.configured = configured
        self.answered = answered
        self.asOf = asOf
        self.knownUnreachable = knownUnreachable
    }

    /// No central record configured.
    package static let notConfigured = CentralKnowledge(configured: false, answered: false, asOf: nil, knownUnreachable: false)
}
