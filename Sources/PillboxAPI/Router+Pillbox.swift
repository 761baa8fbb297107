import Hummingbird

/// One route of the local API: method, path template (Hummingbird syntax, `{id}`) and the
/// least role that may call it.
public struct RouteSpec: Sendable, Equatable {
    public var method: String
    public var path: String
    public var minimumRole: Role
}

/// The local API's routes with their handlers: the router is built from this table, and the
/// OpenAPI test checks `docs/openapi.yaml` against it.
struct RouteTable {
    typealias Handler = @Sendable (Request, PillboxRequestContext) async throws -> Response
    let entries: [(spec: RouteSpec, handler: Handler)]

    init(_ dependencies: APIDependencies) {
        let dispenses = DispenseRoutes(dependencies: dependencies)
        let queries = QueryRoutes(dependencies: dependencies)
        let admin = AdminRoutes(dependencies: dependencies)
        let outbox = OutboxRoutes(dependencies: dependencies)
        let checks = CheckRoutes(dependencies: dependencies)
        func route(_ method: String, _ path: String, _ role: Role, _ handler: @escaping Handler) -> (RouteSpec, Handler) {
            (RouteSpec(method: method, path: path, minimumRole: role), handler)
        }
        entries = [
            route("GET", "/v1/health", .read, admin.health),
            route("GET", "/v1/dispenses", .read, queries.recall),
            route("GET", "/v1/dispenses/{id}", .read, queries.dispense),
            route("GET", "/v1/dispenses/{id}/history", .read, queries.history),
            route("GET", "/v1/patients/{nam}/medications", .read, queries.profile),
            route("POST", "/v1/dispenses", .dispense, dispenses.create),
            route("POST", "/v1/dispenses/{id}/corrections", .dispense, dispenses.correct),
            route("POST", "/v1/dispenses/{id}/cancel", .dispense, dispenses.cancel),
            route("POST", "/v1/checks", .dispense, checks.check),
            route("GET", "/v1/status", .admin, admin.status),
            route("GET", "/v1/audit", .admin, admin.audit),
            route("GET", "/v1/outbox", .admin, outbox.list),
            route("POST", "/v1/outbox/{seq}/retry", .admin, outbox.retry),
            route("POST", "/v1/sync", .admin, outbox.sync),
            route("GET", "/metrics", .admin, admin.metrics),
        ]
    }
}

/// Every route of the local API, as registered.
public func apiRoutes(_ dependencies: APIDependencies) -> [RouteSpec] {
    RouteTable(dependencies).entries.map(\.spec)
}

/// Builds the local API's router: every route, its required role, and the middleware that
/// identifies callers, audits requests and turns errors into problems.
public func buildRouter(_ dependencies: APIDependencies) -> Router<PillboxRequestContext> {
    let router = Router(context: PillboxRequestContext.self)
    router.add(middleware: AccessMiddleware(dependencies: dependencies))
    router.add(middleware: MetricsMiddleware())
    for (spec, handler) in RouteTable(dependencies).entries {
        router.group().add(middleware: RequireRole(minimum: spec.minimumRole))
            .on(RouterPath(spec.path), method: HTTPRequest.Method(spec.method)!, use: handler)
    }
    return router
}
