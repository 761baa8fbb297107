import HTTPTypes
import PillboxModel

/// Problems answered below the router by `ConnectionLimitsHandler`, which then closes the
/// connection. Rendered in the language of the request's head when it arrived, else English.
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

    static let requestTimeout = Problem(
        .requestTimeout, type: "request-timeout", title: Phrase("Request timeout", fr: "Délai de la demande dépassé"),
        detail: Phrase("the request did not arrive in full within the configured time (limits.requestTimeoutSeconds)",
                       fr: "la demande n'est pas arrivée au complet dans le délai configuré (limits.requestTimeoutSeconds)"))
}
