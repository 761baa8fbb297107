import Hummingbird

/// One route of the local API: method, path template (Hummingbird syntax, `{id}`) and the
/// least role that may call it.
package struct RouteSpec: Sendable, Equatable {
    package var method: HTTPRequest.Method
    package var path: String
    package var minimumRole: Role
}
