import Hummingbird

/// Every route of the local API, as registered.
package func apiRoutes(_ dependencies: APIDependencies) -> [RouteSpec] {
    RouteTable(dependencies).entries.map(\.spec)
}

/// Builds the local API's router: every route, its required role, and the middleware that
/// identifies callers, audits requests and turns errors into problems.
package func buildRouter(_ dependencies: APIDependencies) -> Router<PillboxRequestContext> {
    let router = Router(context: PillboxRequestContext.self)
    router.add(middleware: AccessMiddleware(dependencies: dependencies))
    router.add(middleware: MetricsMiddleware())
    for (spec, handler) in RouteTable(dependencies).entries {
        router.group().add(middleware: RequireRole(minimum: spec.minimumRole))
            .on(RouterPath(spec.path), method: spec.method, use: handler)
    }
    return router
}
