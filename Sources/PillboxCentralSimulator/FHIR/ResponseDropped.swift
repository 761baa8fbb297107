/// Thrown after the FHIR listener closed a connection on purpose (`down`, `drop-after-commit`):
/// there is nothing to answer.
struct ResponseDropped: Error, Sendable {
    /// Why the connection was closed.
    var reason: String
}
