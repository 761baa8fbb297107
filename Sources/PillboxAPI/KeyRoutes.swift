import Foundation
import Hummingbird
import PillboxModel
import PillboxStore
import PillboxWire

/// The data folder's keys: their status, and starting a rotation of the data key
/// (docs/operations.md). The rotation itself runs in the daemon's background service.
struct KeyRoutes {
    let dependencies: APIDependencies
    var store: Store { dependencies.store }

    func status(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let now = dependencies.now()
        let report = try await mapStoreError { try await store.keyringReport(now: now) }
        return try JSONIO.response(KeysResponse(report, now: now))
    }

    func rotate(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let now = dependencies.now()
        switch try await mapStoreError({ try await store.startKeyRotation(now: now) }) {
        case .started(let report):
            // The status lists the keys: show the new data key at once.
            dependencies.statusCache.invalidate()
            return try JSONIO.response(KeysResponse(report, now: now), status: .accepted)
        case .alreadyRunning(let report):
            let left = report.rotation?.remaining ?? 0
            throw Problem.rotationInProgress(remaining: left)
        }
    }
}

extension KeysResponse {
    /// The wire form of the store's report; ages counted from `now`.
    init(_ report: KeyringReport, now: Date) {
        func age(_ date: Date) -> Int { max(0, Int(now.timeIntervalSince(date))) }
        self.init(
            masterKeyId: report.masterKeyID,
            keys: report.keys.map { key in
                Key(id: key.id, purpose: key.purpose, state: key.retiredAt == nil ? "current" : "retired",
                    createdAt: Timestamps.format(key.createdAt), ageSeconds: age(key.createdAt), rows: key.rowsUnderKey)
            },
            rotation: report.rotation.map { rotation in
                Rotation(state: rotation.finishedAt == nil ? "running" : "finished", fromKeyId: rotation.fromKeyID,
                         toKeyId: rotation.toKeyID, startedAt: Timestamps.format(rotation.startedAt),
                         finishedAt: rotation.finishedAt.map(Timestamps.format), total: rotation.total,
                         rewritten: rotation.rewritten, remaining: rotation.remaining, unreadable: rotation.unreadable)
            })
    }
}
