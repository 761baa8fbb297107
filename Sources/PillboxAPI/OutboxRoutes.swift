import Foundation
import Hummingbird
import PillboxModel
import PillboxStore
import PillboxWire

/// The outbox: listing, requeueing dead letters, asking for an immediate upload.
struct OutboxRoutes {
    let dependencies: APIDependencies
    var store: Store { dependencies.store }

    func list(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        var state: SyncState?
        if let text = request.uri.queryParameters["state"] {
            guard let parsed = SyncState(rawValue: String(text)) else {
                throw Problem.badQuery("state", "must be pending, sent or failed")
            }
            state = parsed
        }
        let limit = try request.pageSize(default: 100, limits: dependencies.limits)
        let entries = try await mapStoreError { try await store.outboxEntries(state: state, limit: limit) }
        return try JSONIO.response(OutboxPage(entries: entries))
    }

    func retry(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        guard let seq = Int64(try context.parameters.require("seq")) else {
            throw Problem.badQuery("seq", "must be an outbox sequence number")
        }
        switch try await mapStoreError({ try await store.requeue(seq: seq, now: dependencies.now()) }) {
        case .requeued:
            break
        case .notDeadLettered:
            throw Problem(.conflict, type: "not-dead-lettered", title: "Nothing to retry",
                          detail: "this outbox entry does not exist or is not dead-lettered (state failed)")
        case .superseded:
            throw Problem(.conflict, type: "superseded", title: "Superseded",
                          detail: "a newer version of this dispense was sent or is queued; resending this entry would roll the central record back")
        }
        dependencies.central.requestSync()
        return try JSONIO.response(RetryResponse(seq: seq))
    }

    func sync(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        guard dependencies.central.status().configured else {
            throw Problem(.conflict, type: "local-only", title: "No central record configured",
                          detail: "this Pillbox runs in local-only mode; set central.url to upload")
        }
        dependencies.central.requestSync()
        return try JSONIO.response(SyncResponse(), status: .accepted)
    }
}
