import PillboxModel
import PillboxStore

extension Problem {
    /// 409: a correction or cancellation of a dispense whose current version failed its
    /// integrity check (altered or damaged on disk). The change cannot be built on a version
    /// that cannot be read; nothing was written. `id` is the stored record id (the change found
    /// the row by it), never patient data.
    static func recordUnreadable(id: String) -> Problem {
        Problem(.conflict, type: "record-unreadable",
                title: Phrase("Stored record failed its integrity check",
                              fr: "Dossier enregistré en échec de vérification d'intégrité"),
                detail: Phrase("the current version of dispense \(id) failed its integrity check (altered or damaged on disk), "
                                   + "so it cannot be corrected or cancelled; nothing was changed; call a technician: run "
                                   + "`sudo pillbox verify`, then restore the latest backup that verifies (pillbox restore)",
                               fr: "la version actuelle du service \(id) a échoué à la vérification d'intégrité (modifiée ou "
                                   + "endommagée sur le disque); elle ne peut donc être ni corrigée ni annulée; rien n'a été "
                                   + "modifié; appelez un technicien : lancer `sudo pillbox verify`, puis restaurer la dernière "
                                   + "sauvegarde qui se vérifie (pillbox restore)"))
    }

    /// 409: a new dispense whose `pharmacyDispenseId` is recorded as dispense `id`, whose
    /// stored version failed its integrity check: it cannot be told a repeat (replay) or a
    /// conflict, so it is not recorded. Same type and title as `recordUnreadable`.
    static func intakeOfUnreadable(id: String) -> Problem {
        Problem(.conflict, type: "record-unreadable",
                title: recordUnreadable(id: id).title,
                detail: Phrase("this pharmacyDispenseId is recorded as dispense \(id), whose stored version failed its integrity "
                                   + "check (altered or damaged on disk), so this dispense cannot be compared with it; nothing was "
                                   + "recorded; call a technician: run `sudo pillbox verify`, then restore the latest backup that "
                                   + "verifies (pillbox restore)",
                               fr: "ce pharmacyDispenseId est enregistré comme service \(id), dont la version enregistrée a échoué "
                                   + "à la vérification d'intégrité (modifiée ou endommagée sur le disque); ce service ne peut donc "
                                   + "pas lui être comparé; rien n'a été enregistré; appelez un technicien : lancer "
                                   + "`sudo pillbox verify`, puis restaurer la dernière sauvegarde qui se vérifie (pillbox restore)"))
    }
}

/// Maps the store failures of a correction or cancellation of dispense `id`: an integrity
/// failure there can only be the current version of that dispense (the one read the change
/// makes), so it answers `recordUnreadable` instead of a 500; every other failure as
/// `mapStoreError`. The store has logged the failure with the record id.
func mapChangeError<T>(id: String, _ work: () async throws -> T) async throws -> T {
    try await mapStoreError {
        do {
            return try await work()
        } catch let error as StoreError where error.code == .integrity {
            throw Problem.recordUnreadable(id: id)
        }
    }
}
