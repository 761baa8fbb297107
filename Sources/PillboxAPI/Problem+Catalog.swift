import Hummingbird
import PillboxModel

/// Every problem the local API answers with that is not about storage (Problem+Storage.swift)
/// or connections (Problem+Connection.swift), each in English and French.
extension Problem {
    static let internalError = Problem(
        .internalServerError, type: "internal",
        title: Phrase("Internal error", fr: "Erreur interne"),
        detail: Phrase("the daemon could not complete the request; nothing was changed unless a response said so; see the daemon log",
                       fr: "le service pillboxd n'a pas pu traiter la demande; rien n'a été modifié, sauf si une réponse l'a indiqué; "
                           + "consultez le journal du service"))

    static let noRoute = Problem(
        .notFound, type: "not-found", title: Phrase("Not found", fr: "Introuvable"),
        detail: Phrase("no such resource", fr: "cette ressource n'existe pas"))

    static let methodNotAllowed = Problem(
        .methodNotAllowed, type: "method-not-allowed",
        title: Phrase("Method not allowed", fr: "Méthode non permise"),
        detail: Phrase("this resource does not accept that method", fr: "cette ressource n'accepte pas cette méthode"))

    /// Any other HTTP error Hummingbird raises (its status kept).
    static func http(_ status: HTTPResponse.Status) -> Problem {
        Problem(status, type: "http-\(status.code)",
                title: Phrase(status.reasonPhrase, fr: "Erreur HTTP \(status.code)"),
                detail: Phrase("the request could not be served", fr: "la demande n'a pas pu être servie"))
    }

    static func invalid(_ error: ValidationError) -> Problem {
        let count = error.fields.count
        return Problem(.badRequest, type: "validation", title: Phrase("Invalid request", fr: "Demande invalide"),
                       detail: Phrase("\(count) field(s) failed validation; see errors",
                                      fr: "\(count) champ(s) invalide(s); voir errors"),
                       errors: error.fields)
    }

    static let bodyTooLarge = Problem(
        .contentTooLarge, type: "body-too-large",
        title: Phrase("Request body too large", fr: "Corps de la demande trop volumineux"),
        detail: Phrase("the request body exceeds the configured limit (limits.maxBodyBytes)",
                       fr: "le corps de la demande dépasse la limite configurée (limits.maxBodyBytes)"))

    static let notJSON = Problem(
        .badRequest, type: "malformed-json", title: Phrase("Malformed JSON", fr: "JSON mal formé"),
        detail: Phrase("the request body is not a JSON document", fr: "le corps de la demande n'est pas un document JSON"))

    /// The member's name is caller text and may hold anything, a NAM included: never echoed.
    static let duplicateMember = Problem(
        .badRequest, type: "duplicate-member",
        title: Phrase("Member named twice", fr: "Membre nommé deux fois"),
        detail: Phrase("an object in the request body names the same member twice, so its value is ambiguous; "
                       + "send each member once (nothing was recorded)",
                       fr: "un objet du corps de la demande nomme deux fois le même membre, sa valeur est donc ambiguë; "
                       + "envoyez chaque membre une seule fois (rien n'a été enregistré)"))

    /// What a 404 for a missing record names.
    enum Missing {
        case dispense

        var phrase: Phrase {
            switch self {
            case .dispense: Phrase("no dispense with that id", fr: "aucun service ne porte cet identifiant")
            }
        }
    }

    static func notFound(_ what: Missing) -> Problem {
        Problem(.notFound, type: "not-found", title: Phrase("Not found", fr: "Introuvable"), detail: what.phrase)
    }

    /// A query or path parameter that breaks its rule: a validation problem with one field.
    static func badQuery(_ field: String, _ message: Phrase) -> Problem {
        .invalid(ValidationError([FieldError(path: field, message)]))
    }

    static func dispenseConflict(id: String) -> Problem {
        Problem(.conflict, type: "dispense-conflict", title: Phrase("Conflicting dispense", fr: "Service en conflit"),
                detail: Phrase("pharmacyDispenseId is already recorded with different content as dispense \(id); "
                                   + "send a correction to that dispense instead",
                               fr: "ce pharmacyDispenseId est déjà enregistré avec un autre contenu, comme service \(id); "
                                   + "envoyez plutôt une correction de ce service"))
    }

    static func changeRefused(_ reason: Phrase) -> Problem {
        Problem(.conflict, type: "invalid-transition", title: Phrase("Change refused", fr: "Modification refusée"), detail: reason)
    }

    static let notDeadLettered = Problem(
        .conflict, type: "not-dead-lettered", title: Phrase("Nothing to retry", fr: "Rien à renvoyer"),
        detail: Phrase("this outbox entry does not exist or is not dead-lettered (state failed)",
                       fr: "cette entrée de la file d'envoi n'existe pas ou n'est pas en échec définitif (état failed)"))

    static let superseded = Problem(
        .conflict, type: "superseded", title: Phrase("Superseded", fr: "Remplacée"),
        detail: Phrase("a newer version of this dispense was sent or is queued; resending this entry would roll the central record back",
                       fr: "une version plus récente de ce service a été envoyée ou attend son envoi; renvoyer cette entrée "
                           + "ramènerait le dossier central en arrière"))

    static let localOnly = Problem(
        .conflict, type: "local-only",
        title: Phrase("No central record configured", fr: "Aucun dossier central configuré"),
        detail: Phrase("this Pillbox runs in local-only mode; set central.url to upload",
                       fr: "ce Pillbox fonctionne en mode local seulement; réglez central.url pour téléverser"))

    static let noRole = Problem(
        .forbidden, type: "forbidden", title: Phrase("Forbidden", fr: "Accès refusé"),
        detail: Phrase("this user has no role on this Pillbox; ask a technician to add it to the role table",
                       fr: "cet utilisateur n'a aucun rôle sur ce Pillbox; demandez à un technicien de l'ajouter à la table des rôles"))

    static func roleTooLow(needs minimum: Role, has role: Role) -> Problem {
        Problem(.forbidden, type: "forbidden", title: Phrase("Forbidden", fr: "Accès refusé"),
                detail: Phrase("this action needs the \(minimum.rawValue) role; the caller has \(role.rawValue)",
                               fr: "cette action exige le rôle \(minimum.rawValue); l'appelant a le rôle \(role.rawValue)"))
    }
}
