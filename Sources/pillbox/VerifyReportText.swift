import PillboxConsole
import PillboxModel
import PillboxWire

/// The readable form of a `VerifyReport`, in the tool's language: what was checked, then one
/// aligned row per problem (kind, where, what), then what to do.
enum VerifyReportText {
    static func lines(_ report: VerifyReport) -> [String] {
        let c = report.checked
        var lines: [String] = []
        if report.scope == "audit" {
            lines.append(tr("Checked: \(c.auditEntries) audit entries", "Vérifié : \(c.auditEntries) entrées du journal d'audit"))
        } else {
            lines.append(tr("Checked: \(c.dispenses) dispenses, \(c.versions) versions, \(c.outboxEntries) upload queue entries, "
                            + "\(c.centralProfiles) central profiles, \(c.auditEntries) audit entries",
                            "Vérifié : \(c.dispenses) délivrances, \(c.versions) versions, \(c.outboxEntries) envois en file, "
                            + "\(c.centralProfiles) profils centraux, \(c.auditEntries) entrées du journal d'audit"))
        }
        guard !report.ok else {
            lines.append(Terminal.paint(tr("No problem found.", "Aucun problème trouvé."), .green))
            return lines
        }
        let count = report.problems.count
        lines.append(Terminal.paint(tr("\(count) problem\(count == 1 ? "" : "s") found:",
                                       "\(count) problème\(count == 1 ? "" : "s") trouvé\(count == 1 ? "" : "s") :"), .red))
        var table = Table(header: [tr("PROBLEM", "PROBLÈME"), tr("WHERE", "OÙ"), tr("WHAT", "QUOI")])
        for problem in report.problems {
            table.add([problem.kind.rawValue, place(problem), tr(problem.message, french(problem))])
        }
        lines += table.lines
        lines.append(tr("Keep the box running and do not delete anything; send this list (it holds no patient data) "
                        + "to support. See docs/operations.md, \"Something looks wrong\".",
                        "Laissez l'appareil en marche et ne supprimez rien; envoyez cette liste (elle ne contient aucune "
                        + "donnée de patient) au soutien technique. Voir docs/operations.md, « Quelque chose ne va pas »."))
        return lines
    }

    /// Where the problem is: a dispense (and version), an upload queue entry or an audit entry.
    static func place(_ problem: VerifyProblem) -> String {
        var parts: [String] = []
        if let seq = problem.auditSeq { parts.append(tr("audit #\(seq)", "audit nº \(seq)")) }
        if let seq = problem.outboxSeq { parts.append(tr("queue #\(seq)", "file nº \(seq)")) }
        if let id = problem.recordId {
            parts.append(tr("dispense \(id)", "délivrance \(id)") + (problem.version.map { " v\($0)" } ?? ""))
        }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }

    /// The problem in French, by kind (the ids are in the WHERE column).
    static func french(_ problem: VerifyProblem) -> String {
        switch problem.kind {
        case .sqlite: "le fichier SQLite est endommagé : \(problem.message)"
        case .keys: "la table des clés est vide ou incomplète; restaurez le dossier de données depuis une sauvegarde"
        case .unreadableVersion: "la version enregistrée ne s'ouvre pas sous sa clé (modifiée, déplacée ou échangée)"
        case .orphanVersion: "une version sans sa ligne de délivrance"
        case .missingOutbox: "une version sans son entrée dans la file d'envoi"
        case .currentVersion: "la version courante ne pointe pas vers la plus récente, ou les versions ont des trous"
        case .storeSummary: "le résumé de la base (les chiffres de l'état) ne correspond pas au décompte : \(problem.message)"
        case .blindIndex: "un index de recherche ne correspond pas au contenu de la version courante"
        case .dispenseRow: "le statut ou la date de la délivrance ne correspond pas à la version courante"
        case .outbox: "une entrée de la file d'envoi renvoie à une version qui n'existe pas, ou son état est inconnu"
        case .unreadableOutcome: "la réponse scellée du dossier central ne s'ouvre pas"
        case .unreadableProfile: "un profil central en cache ne s'ouvre pas"
        case .auditChain: "la chaîne du journal d'audit est rompue ici (entrée modifiée, supprimée ou déplacée)"
        }
    }
}
