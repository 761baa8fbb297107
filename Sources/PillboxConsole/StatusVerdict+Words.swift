import Foundation
import PillboxModel

extension StatusVerdict.Level {
    /// "HEALTHY" / "EN BON ÉTAT" …, for the status line.
    package func word(_ language: Language = Words.language) -> String {
        switch self {
        case .healthy: return tr("HEALTHY", "EN BON ÉTAT", language)
        case .degraded: return tr("DEGRADED", "DÉGRADÉ", language)
        case .down: return tr("DOWN", "HORS SERVICE", language)
        }
    }
}

extension StatusVerdict.Reason {
    /// What is wrong and what to do, in one line.
    package func message(now: Date, _ language: Language = Words.language) -> String {
        switch self {
        case .daemonDown(let error):
            return tr("pillboxd does not answer (\(error)); check `systemctl status pillboxd` and `journalctl -u pillboxd`",
                      "pillboxd ne répond pas (\(error)) ; voir `systemctl status pillboxd` et `journalctl -u pillboxd`", language)
        case .storeUnwritable(let state):
            return tr("the store refuses writes (\(state.rawValue)); free disk space, or restart pillboxd after a failed write (see the journal)",
                      "le magasin refuse les écritures (\(state.rawValue)) ; libérer de l'espace disque, ou redémarrer pillboxd après une écriture échouée (voir le journal)", language)
        case .storageNotOK(let state):
            return tr("storage is \(state.rawValue); see `journalctl -u pillboxd`",
                      "stockage : \(state.rawValue) ; voir `journalctl -u pillboxd`", language)
        case .deadLetters(let count):
            return tr("\(count) dead letter(s): the central record refused them; see `pillbox queue --state failed`, then `pillbox retry`",
                      "\(count) lettre(s) morte(s) : le dossier central les a refusées ; voir `pillbox queue --state failed`, puis `pillbox retry`", language)
        case .centralUnreachable(let since):
            let age = Human.duration(seconds: Int(now.timeIntervalSince(since)), language)
            return tr("the central record has been unreachable for \(age); records wait safely in the queue; check the network",
                      "le dossier central est injoignable depuis \(age) ; les dossiers attendent dans la file ; vérifier le réseau", language)
        case .centralRefuses(let problem):
            return tr("the central record refuses uploads (\(problem)); check central.url, the certificate and the pharmacy ids",
                      "le dossier central refuse les envois (\(problem)) ; vérifier central.url, le certificat et les identifiants de la pharmacie", language)
        case .diskLow(let percent):
            return tr("only \(Human.percent(percent, language)) of the disk is free; free space (`pillbox doctor` says how) or add a disk",
                      "seulement \(Human.percent(percent, language)) du disque est libre ; libérer de l'espace (`pillbox doctor` dit comment) ou ajouter un disque", language)
        case .auditEntriesDropped(let count):
            return tr("\(count) audit entr(ies) were lost (writes failed); see docs/audit.md",
                      "\(count) entrée(s) du journal d'audit perdue(s) (écritures échouées) ; voir docs/audit.md", language)
        case .backupOverdue(let lastAt):
            let last = Human.age(of: lastAt, now: now, never: tr("none yet", "aucune encore", language), language)
            return tr("the last backup is too old (\(last)); check pillbox-backup.timer and the backup disk (docs/operations.md, Backup)",
                      "la dernière sauvegarde est trop ancienne (\(last)) ; vérifier pillbox-backup.timer et le disque de sauvegarde (docs/operations.md, Sauvegarde)", language)
        case .clientRateLimited(let uid, let refused, let lastAt):
            let ago = Human.duration(seconds: max(0, Int(now.timeIntervalSince(lastAt))), language)
            return tr("uid \(uid) sent requests faster than limits.requestsPerSecondPerUid allows (\(refused) refused since start, the last \(ago) ago): "
                      + "a program is probably looping; find it with `ps -u \(uid)` and `journalctl -u pillboxd` (docs/operations.md)",
                      "l'uid \(uid) a envoyé des demandes plus vite que limits.requestsPerSecondPerUid ne le permet (\(refused) refusée(s) depuis le démarrage, "
                      + "la dernière il y a \(ago)) : un programme tourne probablement en boucle ; le trouver avec `ps -u \(uid)` et `journalctl -u pillboxd` (docs/operations.md)",
                      language)
        }
    }
}

extension StatusVerdict.Reason {
    /// A stable code for scripts (`pillbox status --json`'s `health.reasons[].code`).
    package var code: String {
        switch self {
        case .daemonDown: return "daemon-down"
        case .storeUnwritable: return "store-unwritable"
        case .storageNotOK: return "storage-not-ok"
        case .deadLetters: return "dead-letters"
        case .centralUnreachable: return "central-unreachable"
        case .centralRefuses: return "central-refuses"
        case .diskLow: return "disk-low"
        case .auditEntriesDropped: return "audit-entries-dropped"
        case .backupOverdue: return "backup-overdue"
        case .clientRateLimited: return "client-rate-limited"
        }
    }
}
