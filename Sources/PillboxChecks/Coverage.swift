import Foundation

/// What a check could see: the central record live, from the cache (and how old), or not at
/// all (and why), and whether every local fill could be read. A check that did not see the
/// central record never looks like a clean one: `central` says so.
package struct Coverage: Sendable, Equatable, Codable {
    /// How the central record was consulted.
    package enum Central: String, Sendable, Equatable, Codable {
        case live
        case cache
        case none
    }

    /// Why the central record was not consulted.
    package enum Reason: String, Sendable, Equatable, Codable {
        /// No central record is configured: this pharmacy's records only.
        case notConfigured = "not-configured"
        /// Never fetched for this patient, and the central record did not answer in time.
        case neverFetched = "never-fetched"
        /// The central record is failing and nothing is cached for this patient.
        case unreachable
    }

    package var central: Central
    /// `none` only.
    package var reason: Reason?
    /// When the central fills were fetched (RFC 3339); `live` and `cache`.
    package var asOf: String?
    /// Seconds between that fetch and the check; `live` and `cache`.
    package var ageSeconds: Int?
    /// `cache` only: older than `checks.staleCacheSeconds`.
    package var stale: Bool?
    /// Local fills that failed their integrity check and could not be compared.
    package var unreadableLocalFills: Int

    /// Coverage with the given facts.
    package init(central: Central, reason: Reason? = nil, asOf: String? = nil, ageSeconds: Int? = nil, stale: Bool? = nil,
                unreadableLocalFills: Int = 0) {
        self.central = central
        self.reason = reason
        self.asOf = asOf
        self.ageSeconds = ageSeconds
        self.stale = stale
        self.unreadableLocalFills = unreadableLocalFills
    }
}
