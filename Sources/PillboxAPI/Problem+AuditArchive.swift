import Hummingbird
import PillboxModel

/// The problems of `POST /v1/audit/archive`, each in English and French. A `detail` that
/// carries the store's own explanation (sequence numbers, paths, counts) keeps it in English.
extension Problem {
    static func invalidArchiveRequest(_ errors: [FieldError]) -> Problem {
        Problem(.badRequest, type: "validation",
                title: Phrase("Invalid archive request", fr: "Demande d'archivage invalide"),
                detail: Phrase("the body must be {\"before\": \"YYYY-MM-DD\", \"destination\": \"/absolute/folder\"}, "
                                + "with \"dryRun\": true to count only; nothing was archived",
                               fr: "le corps doit être {\"before\": \"AAAA-MM-JJ\", \"destination\": \"/dossier/absolu\"}, "
                                + "avec \"dryRun\": true pour compter seulement; rien n'a été archivé"),
                errors: errors)
    }

    static let invalidArchiveCheckRequest = Problem(
        .badRequest, type: "validation",
        title: Phrase("Invalid archive check request", fr: "Demande de vérification d'archive invalide"),
        detail: Phrase("the body must be {\"path\": \"/absolute/path/pillbox-audit-<first>-<last>.jsonl\"}",
                       fr: "le corps doit être {\"path\": \"/chemin/absolu/pillbox-audit-<premier>-<dernier>.jsonl\"}"),
        errors: [FieldError(path: "path", Phrase("required: the absolute path of an archive file",
                                                 fr: "obligatoire : le chemin absolu d'un fichier d'archive"))])

    static let archiveDestination = (type: "archive-destination",
                                     title: Phrase("Archive destination unusable", fr: "Destination d'archivage inutilisable"))

    static func archiveDestinationNotAllowed(folders: [String]) -> Problem {
        destinationNotAllowed(archiveDestination, folders: folders)
    }

    static func archiveDestinationUnusable(_ reason: String) -> Problem {
        destinationUnusable(archiveDestination, reason)
    }

    static func archiveRunning(_ reason: String) -> Problem {
        Problem(.conflict, type: "archive-running",
                title: Phrase("An archive is running", fr: "Un archivage est en cours"),
                detail: Phrase(reason, fr: "un autre archivage est en cours : \(reason)"))
    }

    static func auditChainBroken(_ reason: String) -> Problem {
        Problem(.conflict, type: "audit-chain-broken",
                title: Phrase("The audit trail's chain is broken", fr: "La chaîne du journal d'audit est rompue"),
                detail: Phrase(reason, fr: "rien n'a été archivé : \(reason)"))
    }

    static func archiveFailed(_ reason: String) -> Problem {
        Problem(.serviceUnavailable, type: "archive-failed",
                title: Phrase("Archive failed", fr: "L'archivage a échoué"),
                detail: Phrase(reason, fr: "rien n'a été retiré du magasin : \(reason)"))
    }

    static func archiveNoRoom(_ reason: String) -> Problem {
        Problem(.serviceUnavailable, type: "archive-no-room",
                title: Phrase("No room to remove audit entries", fr: "Pas assez de place pour retirer des entrées d'audit"),
                detail: Phrase(reason, fr: "libérez de l'espace sur le disque du dossier de données, puis relancez l'archivage : \(reason)"))
    }

    static func archiveIncomplete(_ reason: String) -> Problem {
        Problem(.serviceUnavailable, type: "archive-incomplete",
                title: Phrase("Archive written, removal incomplete", fr: "Archive écrite, retrait incomplet"),
                detail: Phrase(reason, fr: "rien n'est perdu; relancez l'archivage une fois la cause réglée : \(reason)"))
    }
}
