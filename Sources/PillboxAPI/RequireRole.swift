import Hummingbird

/// Refuses callers whose role is below `minimum`.
struct RequireRole: RouterMiddleware {
    typealias Context = PillboxRequestContext
    let minimum: Role

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let role = context.role else {
            throw Problem(.forbidden, type: "forbidden", title: "Forbidden",
                          detail: "this user has no role on this Pillbox; ask a technician to add it to the role table")
        }
        guard role >= minimum else {
            throw Problem(.forbidden, type: "forbidden", title: "Forbidden",
                          detail: "this action needs the \(minimum.rawValue) role; the caller has \(role.rawValue)")
        }
        return try await next(request, context)
    }
}
