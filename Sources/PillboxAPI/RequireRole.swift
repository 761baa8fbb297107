import Hummingbird

/// Refuses callers whose role is below `minimum`.
struct RequireRole: RouterMiddleware {
    typealias Context = PillboxRequestContext
    let minimum: Role

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let role = context.role else {
            throw Problem.noRole
        }
        guard role >= minimum else {
            throw Problem.roleTooLow(needs: minimum, has: role)
        }
        return try await next(request, context)
    }
}
