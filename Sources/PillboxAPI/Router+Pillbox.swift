import Hummingbird

/// Builds the local API's router: every route, its required role, and the middleware that
/// identifies callers, audits requests and turns errors into problems.
public func buildRouter(_ dependencies: APIDependencies) -> Router<PillboxRequestContext> {
    let router = Router(context: PillboxRequestContext.self)
    router.add(middleware: AccessMiddleware(dependencies: dependencies))
    router.add(middleware: MetricsMiddleware())

    let dispenses = DispenseRoutes(dependencies: dependencies)
    let queries = QueryRoutes(dependencies: dependencies)
    let admin = AdminRoutes(dependencies: dependencies)

    router.group("v1").add(middleware: RequireRole(minimum: .read))
        .get("health", use: admin.health)
        .get("dispenses", use: queries.recall)
        .get("dispenses/{id}", use: queries.dispense)
        .get("dispenses/{id}/history", use: queries.history)
        .get("patients/{nam}/medications", use: queries.profile)

    router.group("v1").add(middleware: RequireRole(minimum: .dispense))
        .post("dispenses", use: dispenses.create)
        .post("dispenses/{id}/corrections", use: dispenses.correct)
        .post("dispenses/{id}/cancel", use: dispenses.cancel)

    router.group("v1").add(middleware: RequireRole(minimum: .admin))
        .get("status", use: admin.status)
        .get("audit", use: admin.audit)

    router.group().add(middleware: RequireRole(minimum: .admin))
        .get("metrics", use: admin.metrics)
    return router
}
