import HTTPTypes
import PillboxModel

/// Problems answered below the router by `ConnectionLimitsHandler`, which then closes the
/// connection, and the rate limit's, answered before routing (the connection stays open).
/// Rendered in the language of the request's head when it arrived, else English.
extension Problem {
    static let headersTooLarge = Problem(
        HTTPResponse.Status(code: 431, reasonPhrase: "Request Header Fields Too Large"), type: "headers-too-large",
        title: Phrase("Request header fields too large", fr: "En-têtes de la demande trop volumineux"),
        detail: Phrase("the request headers exceed the configured limit (limits.maxHeaderBytes)",
                       fr: "les en-têtes de la demande dépassent la limite configurée (limits.maxHeaderBytes)"))

    static let tooManyConnections = Problem(
        .serviceUnavailable, type: "too-many-connections",
        title: Phrase("Too many connections", fr: "Trop de connexions"),
        detail: Phrase("too many connections are open; close idle ones or retry later (limits.maxConnectionsPerPeer, limits.maxOpenConnections)",
                       fr: "trop de connexions sont ouvertes; fermez celles qui sont inactives ou réessayez plus tard "
                           + "(limits.maxConnectionsPerPeer, limits.maxOpenConnections)"),
        retryAfter: 1)

    /// A caller over its request budget (`RequestRateLimiter`): answered before routing.
    static func rateLimited(retryAfter: Int) -> Problem {
        Problem(.tooManyRequests, type: "rate-limited", title: Phrase("Too many requests", fr: "Trop de demandes"),
                detail: Phrase("this caller (uid) sent more requests than the configured rate allows; retry after the time in Retry-After "
                               + "(limits.requestsPerSecondPerUid, limits.requestBurstPerUid)",
                               fr: "cet appelant (uid) a envoyé plus de demandes que le débit configuré ne le permet; réessayez après "
                                   + "le délai indiqué par Retry-After (limits.requestsPerSecondPerUid, limits.requestBurstPerUid)"),
                retryAfter: retryAfter)
    }

    static let requestTimeout = Problem(
        .requestTimeout, type: "request-timeout", title: Phrase("Request timeout", fr: "Délai de la demande dépassé"),
        detail: Phrase("the request did not arrive in full within the configured time (limits.requestTimeoutSeconds)",
                       fr: "la demande n'est pas arrivée au complet dans le délai configuré (limits.requestTimeoutSeconds)"))
}
