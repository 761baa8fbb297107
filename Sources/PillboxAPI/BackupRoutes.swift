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
            throw Problem(.badRequest, type: "validation", title: "Invalid backup request",
                          detail: "the body must be {\"destination\": \"/absolute/folder\"}",
                          errors: [FieldError(path: "destination", message: "required: an absolute folder path")])
        }
        let folder = (destination as NSString).standardizingPath
        guard destination.hasPrefix("/"), dependencies.backup.settings.allows(folder) else {
            throw Problem(.unprocessableContent, type: "backup-destination", title: "Backup destination unusable",
                          detail: "the destination must be one of the folders of the setting backup.folders "
                            + "(\(dependencies.backup.settings.folders.joined(separator: ", "))) or inside one; add it there")
        }
        guard let masterKey = dependencies.backup.masterKey else {
            throw Problem(.serviceUnavailable, type: "backup-failed", title: "Backup failed",
                          detail: "this daemon has no master key to verify a backup with")
        }
        let started = ContinuousClock.now
        let outcome: BackupOutcome
        do {
            outcome = try await dependencies.store.backup(into: folder, masterKey: masterKey,
                                                          pillboxVersion: dependencies.version, now: dependencies.now())
        } catch let error as BackupError {
            switch error.code {
            case .destination:
                throw Problem(.unprocessableContent, type: "backup-destination", title: "Backup destination unusable",
                              detail: error.message)
            case .busy:
                throw Problem(.conflict, type: "backup-running", title: "A backup is running", detail: error.message)
            case .invalid, .wrongKey, .io, .daemonRunning:
                throw Problem(.serviceUnavailable, type: "backup-failed", title: "Backup failed",
                              detail: error.message + "; no backup was left in the destination")
            }
        } catch {
            throw Problem(.serviceUnavailable, type: "backup-failed", title: "Backup failed",
                          detail: "\(error); no backup was left in the destination")
        }
        let elapsed = ContinuousClock.now - started
        let manifest = outcome.manifest
        return try JSONIO.response(BackupResponse(
            path: outcome.path, createdAt: manifest.createdAt, records: manifest.records, versions: manifest.versions,
            databaseBytes: manifest.databaseBytes, sha256: manifest.sha256, masterKeyId: manifest.masterKeyId,
            keyIds: manifest.keyIds, verified: true,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18), status: .created)
    }
}
