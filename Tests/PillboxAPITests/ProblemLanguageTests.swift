import Foundation
import Hummingbird
import HummingbirdTesting
@testable import PillboxAPI
import PillboxModel
import PillboxStore
import PillboxTestSupport
import Testing

@Suite("Problem details in French and English")
struct ProblemLanguageTests {
    /// Every problem the API can answer with, its type and its exact titles.
    static let catalog: [(Problem, type: String, en: String, fr: String)] = [
        (.internalError, "internal", "Internal error", "Erreur interne"),
        (.noRoute, "not-found", "Not found", "Introuvable"),
        (.notFound(.dispense), "not-found", "Not found", "Introuvable"),
        (.methodNotAllowed, "method-not-allowed", "Method not allowed", "Méthode non permise"),
        (.http(.badGateway), "http-502", "Bad Gateway", "Erreur HTTP 502"),
        (.invalid(ValidationError([FieldError(path: "x", Phrase("a", fr: "b"))])), "validation", "Invalid request", "Demande invalide"),
        (.badQuery("limit", Phrase("a", fr: "b")), "validation", "Invalid request", "Demande invalide"),
        (.bodyTooLarge, "body-too-large", "Request body too large", "Corps de la demande trop volumineux"),
        (.notJSON, "malformed-json", "Malformed JSON", "JSON mal formé"),
        (.duplicateMember, "duplicate-member", "Member named twice", "Membre nommé deux fois"),
        (.dispenseConflict(id: "0b7c"), "dispense-conflict", "Conflicting dispense", "Service en conflit"),
        (.changeRefused(Phrase("a", fr: "b")), "invalid-transition", "Change refused", "Modification refusée"),
        (.recordUnreadable(id: "0b7c"), "record-unreadable", "Stored record failed its integrity check",
         "Dossier enregistré en échec de vérification d'intégrité"),
        (.intakeOfUnreadable(id: "0b7c"), "record-unreadable", "Stored record failed its integrity check",
         "Dossier enregistré en échec de vérification d'intégrité"),
        (.notDeadLettered, "not-dead-lettered", "Nothing to retry", "Rien à renvoyer"),
        (.superseded, "superseded", "Superseded", "Remplacée"),
        (.localOnly, "local-only", "No central record configured", "Aucun dossier central configuré"),
        (.noRole, "forbidden", "Forbidden", "Accès refusé"),
        (.roleTooLow(needs: .admin, has: .read), "forbidden", "Forbidden", "Accès refusé"),
        (.diskFull(cause: "ENOSPC"), "disk-full", "Disk full", "Disque plein"),
        (.storageFailed(cause: "EIO"), "storage-failed", "Storage failed", "Défaillance du stockage"),
        (.storeNotWritable(cause: "EIO"), "store-unavailable", "Store not writable", "Base locale en lecture seule"),
        (.storeNotReadable, "store-unavailable", "Store not readable", "Base locale illisible"),
        (.storeUnavailable, "store-unavailable", "Store unavailable", "Base locale indisponible"),
        (.integrity, "integrity", "Stored record failed authentication", "Échec de l'authentification d'un dossier enregistré"),
        (.headersTooLarge, "headers-too-large", "Request header fields too large", "En-têtes de la demande trop volumineux"),
        (.tooManyConnections, "too-many-connections", "Too many connections", "Trop de connexions"),
        (.rateLimited(retryAfter: 1), "rate-limited", "Too many requests", "Trop de demandes"),
        (.requestTimeout, "request-timeout", "Request timeout", "Délai de la demande dépassé"),
        (.exportTooLarge(limit: 10), "export-too-large", "Export too large", "Exportation trop volumineuse"),
        (.invalidBackupRequest, "validation", "Invalid backup request", "Demande de sauvegarde invalide"),
        (.backupDestinationNotAllowed(folders: ["/var/backups/pillbox"]), "backup-destination",
         "Backup destination unusable", "Destination de sauvegarde inutilisable"),
        (.backupDestinationUnusable("not a folder"), "backup-destination",
         "Backup destination unusable", "Destination de sauvegarde inutilisable"),
        (.backupRunning("held"), "backup-running", "A backup is running", "Une sauvegarde est en cours"),
        (.backupFailed("EIO"), "backup-failed", "Backup failed", "La sauvegarde a échoué"),
        (.rotationInProgress(remaining: 3), "rotation-in-progress",
         "A key rotation is already running", "Un changement de clé est déjà en cours"),
    ]

    @Test("Each problem renders its exact title in each language, the same type and status, and a French detail of its own")
    func everyProblemInBothLanguages() throws {
        for (problem, type, en, fr) in Self.catalog {
            let english = problem.details(.en)
            let french = problem.details(.fr)
            #expect(english.type == "https://pillbox.local/problems/\(type)")
            #expect(french.type == english.type)
            #expect(french.status == english.status)
            #expect(english.title == en)
            #expect(french.title == fr)
            #expect(french.detail != english.detail, "detail of \(type) not translated")
            #expect(!french.detail.isEmpty && !english.detail.isEmpty)
        }
    }

    @Test("Field errors keep their path and render their message in the request's language")
    func fieldErrorsRender() throws {
        let error = FieldError(path: "patient.nam", .namShape)
        #expect(error.message == "must be 4 letters followed by 8 digits")
        #expect(error.rendered(.fr) == FieldError(path: "patient.nam", message: "doit compter 4 lettres suivies de 8 chiffres"))
        #expect(error.rendered(.en) == error)
        let problem = Problem.invalid(ValidationError([error]))
        #expect(problem.details(.fr).errors == [FieldError(path: "patient.nam", message: "doit compter 4 lettres suivies de 8 chiffres")])
        #expect(problem.details(.fr).detail == "1 champ(s) invalide(s); voir errors")
    }

    @Test("Every message the dispense parser can give has a French of its own")
    func parserMessagesAreTranslated() throws {
        let bodies: [JSONValue] = [
            .string("x"), .object([:]),
            .object(["pharmacyDispenseId": .number(1), "patient": .object(["nam": .string("X"), "birthDate": .string("x"), "zz": .null]),
                     "medication": .object(["din": .string("1"), "display": .string(String(repeating: "a", count: 5000)),
                                            "substanceCode": .string("?")]),
                     "quantity": .object(["value": .number(-1)]), "daysSupply": .number(1.5), "whenHandedOver": .string("x"),
                     "note": .string("\u{7}"), "lot": .string("")]),
            .object(["medication": .object(["code": .string("c")]), "daysSupply": .number(999),
                     "whenHandedOver": .string("2999-01-01T00:00:00Z"), "quantity": .string("q")]),
            .object(["medication": .object(["codeSystem": .string("s")])]),
        ]
        var seen = 0
        for body in bodies {
            guard case .failure(let failure) = DispenseParser().dispense(from: body, now: Date()) else {
                Issue.record("body parsed")
                continue
            }
            for field in failure.fields {
                seen += 1
                let french = field.rendered(.fr)
                #expect(french.path == field.path)
                #expect(french.message != field.message, "\(field.path): \(field.message) has no French")
            }
        }
        #expect(seen >= 20)
        guard case .failure(let cancel) = DispenseParser().cancellation(from: .object(["reason": .string("r"), "status": .string("x")]))
        else { Issue.record("cancellation parsed"); return }
        #expect(cancel.fields.map { $0.rendered(.fr).message } == ["doit être « cancelled » ou « entered-in-error »"])
    }

    @Test("Accept-Language: fr-CA gives French title, detail and field messages, with the same type and field paths; en, absent or unsupported give English")
    func overHTTP() async throws {
        let harness = try APIHarness()
        var body = Samples.dispense(id: "LANG-1")
        body["patient"] = ["nam": "nope"]
        body["daysSupply"] = 0
        let data = ByteBuffer(bytes: Samples.json(body))
        try await harness.test { client in
            func send(_ language: String?) async throws -> TestResponse {
                var headers: HTTPFields = [.contentType: "application/json"]
                if let language { headers[.acceptLanguage] = language }
                return try await client.execute(uri: "/v1/dispenses", method: .post, headers: headers, body: data)
            }
            let french = try await send("fr-CA")
            #expect(french.status == .badRequest)
            #expect(french.headers[.contentLanguage] == "fr")
            #expect(french.json["title"] as? String == "Demande invalide")
            #expect(french.json["detail"] as? String == "2 champ(s) invalide(s); voir errors")
            #expect(french.json["type"] as? String == "https://pillbox.local/problems/validation")
            let frenchErrors = try #require(french.json["errors"] as? [[String: String]])
            #expect(frenchErrors == [["path": "patient.nam", "message": "doit compter 4 lettres suivies de 8 chiffres"],
                                     ["path": "daysSupply", "message": "doit être entre 1 et 365"]])
            for language in ["en", nil, "de-DE", "es, *;q=0.1"] as [String?] {
                let english = try await send(language)
                #expect(english.status == .badRequest)
                #expect(english.headers[.contentLanguage] == "en")
                #expect(english.json["title"] as? String == "Invalid request")
                #expect(english.json["detail"] as? String == "2 field(s) failed validation; see errors")
                #expect(english.json["type"] as? String == french.json["type"] as? String)
                #expect(english.json["errors"] as? [[String: String]]
                    == [["path": "patient.nam", "message": "must be 4 letters followed by 8 digits"],
                        ["path": "daysSupply", "message": "must be between 1 and 365"]])
            }
            // A problem raised by a middleware (role) and by the router (no route) follow it too.
            harness.as(APIHarness.reader)
            let forbidden = try await client.execute(uri: "/v1/status", method: .get, headers: [.acceptLanguage: "fr-CA"])
            #expect(forbidden.status == .forbidden)
            #expect(forbidden.json["title"] as? String == "Accès refusé")
            #expect(forbidden.json["detail"] as? String == "cette action exige le rôle admin; l'appelant a le rôle read")
            let missing = try await client.execute(uri: "/v1/nothing", method: .get, headers: [.acceptLanguage: "fr"])
            #expect(missing.status == .notFound)
            #expect(missing.json["title"] as? String == "Introuvable")
            harness.as(APIHarness.root)
            let large = try await client.execute(uri: "/v1/dispenses", method: .post,
                                                 headers: [.contentType: "application/json", .acceptLanguage: "fr-CA"],
                                                 body: ByteBuffer(repeating: UInt8(ascii: " "), count: 70_000))
            #expect(large.status == .contentTooLarge)
            #expect(large.json["title"] as? String == "Corps de la demande trop volumineux")
        }
    }
}
