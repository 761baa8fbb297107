import Foundation
import Hummingbird
import PillboxModel
import PillboxStore
import PillboxWire

/// `POST /v1/audit/archive`: the audit entries recorded before a day, written to a checked
/// file in a folder `backup.folders` allows, then removed from the store
/// (docs/audit-archive.md).
struct AuditArchiveRoutes {
    let dependencies: APIDependencies

    /// What the body asks for.
    struct Order {
        var before: Date
        var destination: String
        var dryRun: Bool
    }

    func archive(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let order = try parse(try await JSONIO.body(of: request, limit: dependencies.limits.maxBodyBytes))
        // Entries of earlier reads wait in memory briefly: in the store first, so that none recorded before the day is left out.
        _ = try await dependencies.auditLog.flushBeforeRead()
        let outcome: AuditArchiveOutcome
        do {
            outcome = try await dependencies.store.archiveAudit(before: order.before, into: order.destination, dryRun: order.dryRun,
                                                                now: dependencies.now())
        } catch let error as AuditArchiveError {
            switch error.code {
            case .destination: throw Problem.archiveDestinationUnusable(error.message)
            case .busy: throw Problem.archiveRunning(error.message)
            case .chainBroken: throw Problem.auditChainBroken(error.message)
            case .io: throw Problem.archiveFailed(error.message)
            case .noRoom: throw Problem.archiveNoRoom(error.message)
            case .removal: throw Problem.archiveIncomplete(error.message)
            }
        } catch let error as StoreError {
            throw Problem.archiveFailed(error.message + "; nothing was removed from the store")
        }
        let range = outcome.range
        let answer = AuditArchiveResponse(
            before: Timestamps.format(order.before), dryRun: order.dryRun, entries: range?.entries ?? 0, firstSeq: range?.firstSeq,
            lastSeq: range?.lastSeq, firstAt: range.map { Timestamps.format(Date(timeIntervalSince1970: $0.firstAt)) },
            lastAt: range.map { Timestamps.format(Date(timeIntervalSince1970: $0.lastAt)) }, path: outcome.file?.path,
            sha256: outcome.file?.sha256, bytes: outcome.file?.bytes)
        return try JSONIO.response(answer, status: outcome.file == nil ? .ok : .created)
    }

    /// `POST /v1/audit/archive/verify`: an archive file in a folder `backup.folders` allows,
    /// checked line by line under this box's audit key.
    func verify(_ request: Request, context: PillboxRequestContext) async throws -> Response {
        let body = try await JSONIO.body(of: request, limit: dependencies.limits.maxBodyBytes)
        guard case .object(let fields) = body, case .string(let text)? = fields["path"], fields.count == 1, text.hasPrefix("/") else {
            throw Problem.invalidArchiveCheckRequest
        }
        let path = (text as NSString).standardizingPath
        guard dependencies.backup.settings.allows(path) else {
            throw Problem.archiveDestinationNotAllowed(folders: dependencies.backup.settings.folders)
        }
        let check: AuditArchiveFileCheck
        do {
            check = try await dependencies.store.verifyAuditArchive(path: path)
        } catch let error as AuditArchiveError {
            throw Problem.archiveDestinationUnusable(error.message)
        }
        var answer = AuditArchiveCheckResponse(path: path, intact: false, newest: check.continuedByStore, sha256: check.sha256,
                                               bytes: check.bytes)
        switch check.inspection {
        case .holds(let header, let trailer):
            (answer.intact, answer.entries, answer.firstSeq, answer.lastSeq) = (true, trailer.entries, header.firstSeq, trailer.lastSeq)
        case .defect(let line, let what):
            (answer.line, answer.problem) = (line, what)
        }
        return try JSONIO.response(answer)
    }

    /// The body's members, each checked; every failing one named. `before` is the start of
    /// that day in the daemon's time zone, and may not be after now.
    func parse(_ body: JSONValue) throws -> Order {
        guard case .object(let fields) = body else { throw Problem.invalidArchiveRequest([]) }
        var errors: [FieldError] = []
        // A member's name is caller text and may hold anything: never echoed.
        if fields.keys.contains(where: { !["before", "destination", "dryRun"].contains($0) }) {
            errors.append(FieldError(path: "body", Phrase("only before, destination and dryRun are accepted",
                                                          fr: "seuls before, destination et dryRun sont acceptés")))
        }
        var before: Date?
        if case .string(let text)? = fields["before"], let day = Timestamps.parseDate(text, timeZone: .current) {
            if day > dependencies.now() {
                errors.append(FieldError(path: "before", Phrase("must be today or an earlier day: entries recorded before it are archived",
                                                                fr: "doit être aujourd'hui ou un jour passé : les entrées enregistrées avant ce jour sont archivées")))
            }
            before = day
        } else {
            errors.append(FieldError(path: "before", Phrase("required: a day, YYYY-MM-DD", fr: "obligatoire : un jour, AAAA-MM-JJ")))
        }
        var destination: String?
        if case .string(let text)? = fields["destination"], text.hasPrefix("/") {
            destination = (text as NSString).standardizingPath
        } else {
            errors.append(FieldError(path: "destination", Phrase("required: an absolute folder path",
                                                                 fr: "obligatoire : le chemin absolu d'un dossier")))
        }
        var dryRun = false
        switch fields["dryRun"] {
        case nil: break
        case .bool(let value)?: dryRun = value
        default: errors.append(FieldError(path: "dryRun", Phrase("must be true or false", fr: "doit être true ou false")))
        }
        guard errors.isEmpty, let before, let destination else { throw Problem.invalidArchiveRequest(errors) }
        guard dependencies.backup.settings.allows(destination) else {
            throw Problem.archiveDestinationNotAllowed(folders: dependencies.backup.settings.folders)
        }
        return Order(before: before, destination: destination, dryRun: dryRun)
    }
}
