import Foundation
import PillboxModel
import PillboxWire

/// The readable screen of `pillbox status`: one aligned line per fact, then the verdict and,
/// for each reason, what to do. Pure (tests render it in both languages).
package struct StatusReport {
    package var status: StatusResponse
    package var verdict: StatusVerdict
    package var now: Date
    package var language: Language
    package var colour: Bool

    package init(status: StatusResponse, verdict: StatusVerdict, now: Date, language: Language = Words.language,
                 colour: Bool = Terminal.colourOnStdout) {
        self.status = status
        self.verdict = verdict
        self.now = now
        self.language = language
        self.colour = colour
    }

    private func t(_ english: String, _ french: String) -> String { tr(english, french, language) }
    private func ago(_ time: String?, never: String? = nil) -> String {
        Human.age(of: time, now: now, never: never ?? t("never", "jamais"), language)
    }

    /// How long since an RFC 3339 time: "2 h" (for "since" phrases); "?" when unreadable.
    private func lasting(_ time: String?) -> String {
        guard let time, let date = Timestamps.parseRFC3339(time) else { return "?" }
        return Human.duration(seconds: Int(now.timeIntervalSince(date)), language)
    }

    /// The lines, without newlines.
    package var lines: [String] {
        var table = Table()
        let s = status
        table.add([t("Pillbox", "Pillbox"), t("\(s.version), up \(Human.duration(seconds: s.uptimeSeconds, language))",
                                              "\(s.version), en marche depuis \(Human.duration(seconds: s.uptimeSeconds, language))")])
        table.add([t("State:", "État :"), paint(verdict.level)])
        table.add([t("Records:", "Dossiers :"), "\(s.records)"])
        if s.mode == "local-only" || !s.central.configured {
            table.add([t("Pending uploads:", "Envois en attente :"), t("none (local-only mode)", "aucun (mode local seulement)")])
        } else {
            let oldest = s.oldestPendingAgeSeconds.map {
                t(" (oldest \(Human.age(seconds: $0, language)))", " (le plus ancien \(Human.age(seconds: $0, language)))")
            } ?? ""
            table.add([t("Pending uploads:", "Envois en attente :"), "\(s.pendingUploads)\(oldest)"])
        }
        table.add([t("Dead letters:", "Lettres mortes :"), "\(s.deadLetters)"])
        table.add([t("Central record:", "Dossier central :"), centralLine])
        if let problem = s.central.problem {
            table.add([t("Central problem:", "Problème central :"), t("\(problem) for \(lasting(s.central.problemSince))", "\(problem) depuis \(lasting(s.central.problemSince))")])
        }
        if let error = s.central.lastError, s.central.reachable == false {
            table.add([t("Last error:", "Dernière erreur :"), "\(error) (\(ago(s.central.lastErrorAt)))"])
        }
        if s.central.configured {
            table.add([t("Last upload:", "Dernier envoi :"), ago(s.lastUploadAt)])
        }
        if let profiles = s.centralProfiles {
            var text = "\(profiles.count)"
            if profiles.count > 0 {
                text += t(" (oldest \(ago(profiles.oldestFetchedAt)), newest \(ago(profiles.newestFetchedAt)))",
                          " (le plus ancien \(ago(profiles.oldestFetchedAt)), le plus récent \(ago(profiles.newestFetchedAt)))")
            }
            table.add([t("Cached profiles:", "Profils en cache :"), text])
        }
        table.add([t("Master key:", "Clé maîtresse :"), s.keyId])
        for key in s.keys ?? [] {
            table.add([t("Key (\(key.purpose)):", "Clé (\(key.purpose)) :"), "\(key.id), \(t("made", "créée")) \(ago(key.createdAt))"])
        }
        table.add([t("Database:", "Base de données :"), Human.bytes(s.databaseBytes, language)])
        if s.lastBackupAt != nil || s.backupOverdue != nil {
            var text = ago(s.lastBackupAt)
            if let records = s.lastBackupRecords { text += t(", \(records) records", ", \(records) dossiers") }
            if s.backupOverdue == true { text += t(" (OVERDUE)", " (EN RETARD)") }
            table.add([t("Last backup:", "Dernière sauvegarde :"), text])
        }
        if let disk = s.disk {
            table.add([t("Free disk:", "Disque libre :"),
                       t("\(Human.bytes(disk.freeBytes, language)) of \(Human.bytes(disk.totalBytes, language)) (\(Human.percent(disk.freePercent, language)))",
                         "\(Human.bytes(disk.freeBytes, language)) sur \(Human.bytes(disk.totalBytes, language)) (\(Human.percent(disk.freePercent, language)))")])
        }
        var storage = s.storage.state.rawValue
        if s.storage.state != .ok {
            storage += t(" for ", " depuis ") + lasting(s.storage.since) + (s.storage.cause.map { ": \($0)" } ?? "")
        }
        table.add([t("Storage:", "Stockage :"), storage])
        if s.auditEntriesDropped > 0 {
            table.add([t("Audit entries lost:", "Entrées d'audit perdues :"), "\(s.auditEntriesDropped)"])
        }
        if let limited = s.rateLimited {
            table.add([t("Rate-limited:", "Refus (débit) :"),
                       t("\(limited.refused) requests (last: uid \(limited.lastUid), \(lasting(limited.lastAt)) ago)",
                         "\(limited.refused) demandes (dernière : uid \(limited.lastUid), il y a \(lasting(limited.lastAt)))")])
        }
        return table.lines + verdict.reasons.map { "  ! " + $0.message(now: now, language) }
    }

    private var centralLine: String {
        let c = status.central
        guard c.configured else { return t("not configured (local-only mode)", "non configuré (mode local seulement)") }
        switch c.reachable {
        case nil:
            return t("not tried yet", "pas encore essayé")
        case true?:
            return t("reachable; last answer \(ago(c.lastSuccessAt))", "joignable ; dernière réponse \(ago(c.lastSuccessAt))")
        case false?:
            let since = c.failingSince ?? c.lastErrorAt
            let word = Terminal.paint(t("UNREACHABLE", "INJOIGNABLE"), .red, enabled: colour)
            return t("\(word) for \(lasting(since)); last answer \(ago(c.lastSuccessAt))",
                     "\(word) depuis \(lasting(since)) ; dernière réponse \(ago(c.lastSuccessAt))")
        }
    }

    private func paint(_ level: StatusVerdict.Level) -> String {
        let colour: Terminal.Colour = switch level {
        case .healthy: .green
        case .degraded: .yellow
        case .down: .red
        }
        return Terminal.paint(level.word(language), colour, enabled: self.colour)
    }
}
