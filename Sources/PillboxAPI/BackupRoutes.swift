import Foundation
import Hummingbird
import PillboxModel
import PillboxStore
import PillboxWire

/// `POST /v1/backups`: a consistent, verified backup into a folder the daemon can write.
struct BackupRoutes {
    let dependencies: APIDependencies

    func create(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let body = try await JSONIO.body(of: request, limit: dependencies.limits.maxBodyBytes)
        guard case .object(let fields) = body, case .string(let destination)? = fields["destination"],
              fields.count == 1 else {
            throw Problem.invalidBackupRequest
        }
        let folder = (destination as NSString).standardizingPath
        guard destination.hasPrefix("/"), dependencies.backup.settings.allows(folder) else {
            throw Problem.backupDestinationNotAllowed(folders: dependencies.backup.settings.folders)
        }
        guard let masterKey = dependencies.backup.masterKey else {
            throw Problem.backupFailed("this daemon has no master key to verify a backup with")
        }
        let started = ContinuousClock.now
        let outcome: BackupOutcome
        do {
            outcome = try await dependencies.store.backup(into: folder, masterKey: masterKey,
                                                          pillboxVersion: dependencies.version, now: dependencies.now())
        } catch let error as BackupError {
            switch error.code {
            case .destination:
                throw Problem.backupDestinationUnusable(error.message)
            case .busy:
                throw Problem.backupRunning(error.message)
            case .invalid, .wrongKey, .io, .daemonRunning:
                throw Problem.backupFailed(error.message)
            }
        } catch {
            throw Problem.backupFailed("\(error)")
        }
        // The status reports the last backup: show this one at once.
        dependencies.statusCache.invalidate()
        let elapsed = ContinuousClock.now - started
        let manifest = outcome.manifest
        return try JSONIO.response(BackupResponse(
            path: outcome.path, createdAt: manifest.createdAt, records: manifest.records, versions: manifest.versions,
            databaseBytes: manifest.databaseBytes, sha256: manifest.sha256, masterKeyId: manifest.masterKeyId,
            keyIds: manifest.keyIds, verified: true,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18), status: .created)
    }
}
