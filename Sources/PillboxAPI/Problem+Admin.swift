import Hummingbird
import PillboxModel

/// The problems of the technician's routes (backups, keys, verify), each in English and French.
/// A `detail` that carries the store's own explanation (`reason`: ids and paths, never patient
/// data) keeps that explanation in English inside the French sentence.
extension Problem {
    static let invalidBackupRequest = Problem(
        .badRequest, type: "validation",
        title: Phrase("Invalid backup request", fr: "Demande de sauvegarde invalide"),
        detail: Phrase("the body must be {\"destination\": \"/absolute/folder\"}",
                       fr: "le corps doit être {\"destination\": \"/dossier/absolu\"}"),
        errors: [FieldError(path: "destination", Phrase("required: an absolute folder path",
                                                        fr: "obligatoire : le chemin absolu d'un dossier"))])

    static let backupDestination = (type: "backup-destination",
                                    title: Phrase("Backup destination unusable", fr: "Destination de sauvegarde inutilisable"))

    static func backupDestinationNotAllowed(folders: [String]) -> Problem {
        destinationNotAllowed(backupDestination, folders: folders)
    }

    static func backupDestinationUnusable(_ reason: String) -> Problem {
        destinationUnusable(backupDestination, reason)
    }

    /// A folder outside `backup.folders`, the one list of folders the daemon writes into
    /// (backups and audit archives).
    static func destinationNotAllowed(_ kind: (type: String, title: Phrase), folders: [String]) -> Problem {
        let list = folders.joined(separator: ", ")
        return Problem(.unprocessableContent, type: kind.type, title: kind.title,
                       detail: Phrase("the destination must be one of the folders of the setting backup.folders (\(list)) or inside one; add it there",
                                      fr: "la destination doit être un des dossiers du réglage backup.folders (\(list)) ou s'y trouver; ajoutez-la à ce réglage"))
    }

    static func destinationUnusable(_ kind: (type: String, title: Phrase), _ reason: String) -> Problem {
        Problem(.unprocessableContent, type: kind.type, title: kind.title, detail: Phrase(reason, fr: "destination inutilisable : \(reason)"))
    }

    static func backupRunning(_ reason: String) -> Problem {
        Problem(.conflict, type: "backup-running",
                title: Phrase("A backup is running", fr: "Une sauvegarde est en cours"),
                detail: Phrase(reason, fr: "une autre sauvegarde est en cours : \(reason)"))
    }

    static func backupFailed(_ reason: String) -> Problem {
        Problem(.serviceUnavailable, type: "backup-failed",
                title: Phrase("Backup failed", fr: "La sauvegarde a échoué"),
                detail: Phrase("\(reason); no backup was left in the destination",
                               fr: "\(reason); aucune sauvegarde n'a été laissée dans la destination"))
    }

    static func rotationInProgress(remaining: Int) -> Problem {
        Problem(.conflict, type: "rotation-in-progress",
                title: Phrase("A key rotation is already running", fr: "Un changement de clé est déjà en cours"),
                detail: Phrase("the data key rotation started earlier still has \(remaining) payloads to re-encrypt; "
                                + "wait for it to finish (pillbox keys status)",
                               fr: "le changement de la clé de données commencé plus tôt doit encore rechiffrer \(remaining) éléments; "
                                + "attendez qu'il se termine (pillbox keys status)"))
    }
}
