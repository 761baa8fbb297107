import Foundation

/// What Pillbox knew of the central record when it checked.
public struct CentralKnowledge: Sendable, Equatable {
    /// Whether a central record is configured at all.
    public var configured: Bool
    /// Whether the central record answered this time (the fills are live).
    public var answered: Bool
    /// When the fills were fetched: now when live, earlier when cached, nil when never.
    public var asOf: Date?
    /// Whether the central record is known to be failing (the daemon's health view).
    public var knownUnreachable: Bool

    /// Knowledge with the given facts.
    public init(configured: Bool, answered: Bool, asOf: Date?, knownUnreachable: Bool) {
        self.configured = configured
        self.answered = answered
        self.asOf = asOf
        self.knownUnreachable = knownUnreachable
    }

    /// No central record configured.
    public static let notConfigured = CentralKnowledge(configured: false, answered: false, asOf: nil, knownUnreachable: false)
}
