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
                throw Problem.badQuery("state", Phrase("must be pending, sent or failed", fr: "doit être pending, sent ou failed"))
            }
            state = parsed
        }
        let limit = try request.pageSize(default: 100, limits: dependencies.limits)
        let entries = try await mapStoreError { try await store.outboxEntries(state: state, limit: limit) }
        return try JSONIO.response(OutboxPage(entries: entries))
    }

    func retry(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        guard let seq = Int64(try context.parameters.require("seq")) else {
            throw Problem.badQuery("seq", Phrase("must be an outbox sequence number", fr: "doit être un numéro d'entrée de la file d'envoi"))
        }
        switch try await mapStoreError({ try await store.requeue(seq: seq, now: dependencies.now()) }) {
        case .requeued:
            break
        case .notDeadLettered:
            throw Problem.notDeadLettered
        case .superseded:
            throw Problem.superseded
        }
        dependencies.central.requestSync()
        return try JSONIO.response(RetryResponse(seq: seq))
    }

    /// Every dead letter, or those dead-lettered since `since` (a date in the appliance's time
    /// zone or an RFC 3339 date-time), back in the queue: for the day the central record
    /// refused everything by mistake.
    func retryAll(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let since = try request.periodBound("since", endOfDay: false)
        let result = try await mapStoreError { try await store.requeueAll(failedSince: since, now: dependencies.now()) }
        if result.requeued > 0 { dependencies.central.requestSync() }
        context.logger.info("Dead letters requeued", metadata: [
            "outbox.requeued": "\(result.requeued)", "outbox.superseded": "\(result.superseded)",
        ])
        return try JSONIO.response(RetryAllResponse(requeued: result.requeued, superseded: result.superseded,
                                                    since: since.map(Timestamps.format)))
    }

    func sync(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        guard dependencies.central.status().configured else {
            throw Problem.localOnly
        }
        dependencies.central.requestSync()
        return try JSONIO.response(SyncResponse(), status: .accepted)
    }
}
