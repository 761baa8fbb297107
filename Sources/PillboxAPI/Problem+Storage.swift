import PillboxModel
import PillboxStore

extension Problem {
    /// 503 for a write refused because the disk is full; `cause` names ENOSPC and SQLite's code.
    static func diskFull(cause: String) -> Problem {
        Problem(.serviceUnavailable, type: "disk-full", title: Phrase("Disk full", fr: "Disque plein"),
                detail: Phrase("the local store cannot write: \(cause); nothing was changed; reads still work; "
                                   + "free space on the data folder's disk and writes resume by themselves",
                               fr: "la base locale ne peut plus écrire : \(cause); rien n'a été modifié; la consultation "
                                   + "fonctionne toujours; libérez de l'espace sur le disque du dossier de données et "
                                   + "l'enregistrement reprendra de lui-même"))
    }

    /// 503 for a write refused because the storage failed (a failed fsync or I/O error).
    static func storageFailed(cause: String) -> Problem {
        Problem(.serviceUnavailable, type: "storage-failed", title: Phrase("Storage failed", fr: "Défaillance du stockage"),
                detail: Phrase("a write to the disk failed: \(cause); writes are stopped to protect the records already "
                                   + "acknowledged; nothing of this request was changed; reads still work; call a technician "
                                   + "to check the disk, then restart pillboxd",
                               fr: "une écriture sur le disque a échoué : \(cause); l'enregistrement est arrêté pour protéger "
                                   + "les dossiers déjà confirmés; rien de cette demande n'a été modifié; la consultation "
                                   + "fonctionne toujours; appelez un technicien pour vérifier le disque, puis redémarrer pillboxd"))
    }

    /// 503: the store cannot commit writes (`/v1/health`).
    static func storeNotWritable(cause: String) -> Problem {
        Problem(.serviceUnavailable, type: "store-unavailable",
                title: Phrase("Store not writable", fr: "Base locale en lecture seule"),
                detail: Phrase("the local store cannot commit writes: \(cause); reads still work; check the daemon log",
                               fr: "la base locale ne peut pas enregistrer : \(cause); la consultation fonctionne toujours; "
                                   + "consultez le journal du service"))
    }

    /// 503: the store does not answer reads (`/v1/health`).
    static let storeNotReadable = Problem(
        .serviceUnavailable, type: "store-unavailable", title: Phrase("Store not readable", fr: "Base locale illisible"),
        detail: Phrase("the local store does not answer reads; check the daemon log",
                       fr: "la base locale ne répond pas aux lectures; consultez le journal du service"))

    /// 503: the store failed a request (wrong key, I/O).
    static let storeUnavailable = Problem(
        .serviceUnavailable, type: "store-unavailable", title: Phrase("Store unavailable", fr: "Base locale indisponible"),
        detail: Phrase("the local store could not complete the request; nothing was changed; retry, and call a technician if it persists",
                       fr: "la base locale n'a pas pu traiter la demande; rien n'a été modifié; réessayez, et appelez un "
                           + "technicien si le problème persiste"))

    /// 500: a stored record failed authentication.
    static let integrity = Problem(
        .internalServerError, type: "integrity",
        title: Phrase("Stored record failed authentication", fr: "Échec de l'authentification d'un dossier enregistré"),
        detail: Phrase("a stored record failed its integrity check; call a technician (the daemon log names the record id)",
                       fr: "un dossier enregistré a échoué à la vérification d'intégrité; appelez un technicien "
                           + "(le journal du service indique l'identifiant du dossier)"))

    /// The 503 `/v1/health` answers for a storage state that is not `ok`.
    static func storage(_ report: StorageReport) -> Problem {
        let cause = report.cause ?? "unknown cause"
        switch report.state {
        case .ok, .unavailable: return storeNotWritable(cause: cause)
        case .diskFull: return diskFull(cause: cause)
        case .failed: return storageFailed(cause: cause)
        }
    }
}

/// Maps store failures to problems; a store failure means the change did not happen.
func mapStoreError<T>(_ work: () async throws -> T) async throws -> T {
    do {
        return try await work()
    } catch let error as StoreError {
        switch error.code {
        case .invalidCursor:
            throw Problem.badQuery("cursor", Phrase("is not a cursor this daemon issued; start again without it",
                                                    fr: "n'est pas un curseur émis par ce service; recommencez sans curseur"))
        case .integrity: throw Problem.integrity
        case .diskFull: throw Problem.diskFull(cause: error.message)
        case .storageFailed: throw Problem.storageFailed(cause: error.message)
        case .wrongKey, .io: throw Problem.storeUnavailable
        }
    }
}
