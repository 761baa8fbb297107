import Hummingbird

/// One route of the local API: method, path template (Hummingbird syntax, `{id}`) and the
/// least role that may call it.
public struct RouteSpec: Sendable, Equatable {
    public var method: HTTPRequest.Method
    public var path: String
    public var minimumRole: Role
}
