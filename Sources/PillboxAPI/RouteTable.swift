import Hummingbird

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
        let verify = VerifyRoutes(dependencies: dependencies)
        let backups = BackupRoutes(dependencies: dependencies)
        let exports = ExportRoutes(dependencies: dependencies)
        let keys = KeyRoutes(dependencies: dependencies)
        let archive = AuditArchiveRoutes(dependencies: dependencies)
        func route(_ method: HTTPRequest.Method, _ path: String, _ role: Role, _ handler: @escaping Handler) -> (RouteSpec, Handler) {
            (RouteSpec(method: method, path: path, minimumRole: role), handler)
        }
        entries = [
            route(.get, "/v1/health", .read, admin.health),
            route(.get, "/v1/dispenses", .read, queries.recall),
            route(.get, "/v1/dispenses/{id}", .read, queries.dispense),
            route(.get, "/v1/dispenses/{id}/history", .read, queries.history),
            route(.get, "/v1/patients/{nam}/medications", .read, queries.profile),
            route(.post, "/v1/dispenses", .dispense, dispenses.create),
            route(.post, "/v1/dispenses/{id}/corrections", .dispense, dispenses.correct),
            route(.post, "/v1/dispenses/{id}/cancel", .dispense, dispenses.cancel),
            route(.post, "/v1/checks", .dispense, checks.check),
            route(.get, "/v1/status", .admin, admin.status),
            route(.get, "/v1/audit", .admin, admin.audit),
            route(.post, "/v1/audit/archive", .admin, archive.archive),
            route(.post, "/v1/audit/archive/verify", .admin, archive.verify),
            route(.get, "/v1/outbox", .admin, outbox.list),
            route(.post, "/v1/outbox/{seq}/retry", .admin, outbox.retry),
            route(.post, "/v1/outbox/retry", .admin, outbox.retryAll),
            route(.get, "/v1/patients/{nam}/export", .admin, exports.export),
            route(.post, "/v1/sync", .admin, outbox.sync),
            route(.post, "/v1/backups", .admin, backups.create),
            route(.get, "/metrics", .admin, admin.metrics),
            route(.post, "/v1/verify", .admin, verify.verify),
            route(.get, "/v1/keys", .admin, keys.status),
            route(.post, "/v1/keys/rotate", .admin, keys.rotate),
        ]
    }
}
