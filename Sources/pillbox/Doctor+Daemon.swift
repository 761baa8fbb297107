import Foundation
import PillboxClient
import PillboxConsole
import PillboxDaemon
import PillboxModel
import PillboxWire

// The checks of `pillbox doctor` that ask the running daemon, and the clock.

/// The backup part of `/v1/status`, decoded on its own so that `doctor` reads it from daemons
/// that report it (`lastBackupAt`, added with `pillbox backup`) and says "not reported" otherwise.
struct BackupFacts: Decodable {
    var lastBackupAt: String?
}

extension Doctor {
    /// What the daemon answered, for the later checks.
    struct DaemonAnswer {
        var findings: [DoctorFinding]
        var status: StatusResponse?
        var backup: BackupFacts?
    }

    func daemonChecks(_ settings: DaemonConfiguration) async -> DaemonAnswer {
        let client = LocalClient(socketPath: settings.socketPath, timeoutSeconds: 10, acceptLanguage: Words.language.rawValue)
        let response: LocalResponse
        do {
            response = try await client.response(to: LocalAPI.status)
        } catch let problem as LocalProblem {
            return DaemonAnswer(findings: [DoctorFinding("daemon", .fail, "\(problem)",
                                                         fix: tr("run `sudo pillbox doctor` (the status needs the admin role); see `journalctl -u pillboxd`",
                                                                 "lancer `sudo pillbox doctor` (l'état demande le rôle admin) ; voir `journalctl -u pillboxd`"))])
        } catch {
            return DaemonAnswer(findings: [DoctorFinding("daemon", .fail, tr("pillboxd does not answer on \(settings.socketPath)",
                                                                             "pillboxd ne répond pas sur \(settings.socketPath)"),
                                                         fix: tr("`systemctl enable --now pillboxd`, then `journalctl -u pillboxd` for why it stopped",
                                                                 "`systemctl enable --now pillboxd`, puis `journalctl -u pillboxd` pour savoir pourquoi il s'est arrêté"))])
        }
        guard let status = try? response.decode(StatusResponse.self) else {
            return DaemonAnswer(findings: [DoctorFinding("daemon", .fail, tr("pillboxd's status cannot be read (HTTP \(response.status))",
                                                                             "état de pillboxd illisible (HTTP \(response.status))"),
                                                         fix: tr("use the pillbox tool of the same version as pillboxd", "utiliser l'outil pillbox de la même version que pillboxd"))])
        }
        let backup = try? response.decode(BackupFacts.self)
        let version = "pillboxd \(status.version), \(tr("up", "en marche depuis")) \(Human.duration(seconds: status.uptimeSeconds))"
        guard status.storage.state == .ok else {
            return DaemonAnswer(findings: [DoctorFinding("daemon", .fail, "\(version); \(tr("storage", "stockage")) \(status.storage.state.rawValue)"
                                                             + (status.storage.cause.map { ": \($0)" } ?? ""),
                                                         fix: tr("free disk space; after a failed write restart pillboxd (docs/storage.md)",
                                                                 "libérer de l'espace disque ; après une écriture échouée, redémarrer pillboxd (docs/storage.md)"))],
                                status: status, backup: backup)
        }
        return DaemonAnswer(findings: [DoctorFinding("daemon", .pass, version)], status: status, backup: backup)
    }

    func clockChecks(status: StatusResponse?, now: Date = Date()) -> [DoctorFinding] {
        var findings: [DoctorFinding] = []
        if let status {
            if let newest = status.newestRecordAt.flatMap(Timestamps.parseRFC3339), newest.timeIntervalSince(now) > 5 {
                findings.append(DoctorFinding("clock", .fail, tr("the clock (\(Timestamps.format(now))) is before the newest record (\(Timestamps.format(newest)))",
                                                                 "l'horloge (\(Timestamps.format(now))) est avant le dossier le plus récent (\(Timestamps.format(newest)))"),
                                              fix: tr("set the time: `timedatectl set-ntp true` (or `timedatectl set-time`), check the board's clock battery",
                                                      "régler l'heure : `timedatectl set-ntp true` (ou `timedatectl set-time`), vérifier la pile de l'horloge")))
            } else {
                findings.append(DoctorFinding("clock", .pass, tr("\(Timestamps.format(now)), not before the newest record",
                                                                 "\(Timestamps.format(now)), pas avant le dossier le plus récent")))
            }
        } else {
            findings.append(DoctorFinding("clock", .skip, tr("pillboxd does not answer: the newest record is unknown",
                                                             "pillboxd ne répond pas : le dossier le plus récent est inconnu")))
        }
        guard FileManager.default.isExecutableFile(atPath: timedatectl) else {
            findings.append(DoctorFinding("ntp", .skip, tr("timedatectl is not installed", "timedatectl n'est pas installé")))
            return findings
        }
        let answer: String
        switch SystemFacts.run(timedatectl, ["show", "--property=NTPSynchronized", "--value"], timeoutSeconds: ntpTimeoutSeconds) {
        case .exited(code: 0, let out):
            answer = out
        case .timedOut:
            findings.append(DoctorFinding("ntp", .skip, tr("timedatectl did not answer within \(ntpTimeoutSeconds) s (stopped)",
                                                           "timedatectl n'a pas répondu en \(ntpTimeoutSeconds) s (arrêté)")))
            return findings
        case .exited, .cannotStart:
            findings.append(DoctorFinding("ntp", .skip, tr("timedatectl cannot tell (no systemd-timedated here)",
                                                           "timedatectl ne peut pas le dire (pas de systemd-timedated ici)")))
            return findings
        }
        if answer.trimmingCharacters(in: .whitespacesAndNewlines) == "yes" {
            findings.append(DoctorFinding("ntp", .pass, tr("synchronised", "synchronisée")))
        } else {
            findings.append(DoctorFinding("ntp", .fail, tr("the clock is not synchronised by NTP", "l'horloge n'est pas synchronisée par NTP"),
                                          fix: tr("`timedatectl set-ntp true`; check that the box reaches its NTP server (systemd-timesyncd)",
                                                  "`timedatectl set-ntp true` ; vérifier que la boîte joint son serveur NTP (systemd-timesyncd)")))
        }
        return findings
    }

    /// Whether a caller was refused by the rate limit lately (`StatusVerdict`'s rule, the
    /// same 10 minutes): a program in a loop on the socket.
    func clientChecks(status: StatusResponse?, now: Date = Date()) -> [DoctorFinding] {
        guard let status else {
            return [DoctorFinding("clients", .skip, tr("pillboxd does not answer", "pillboxd ne répond pas"))]
        }
        guard let limited = status.rateLimited, let last = Timestamps.parseRFC3339(limited.lastAt) else {
            return [DoctorFinding("clients", .pass, tr("no request refused by the rate limit since pillboxd started",
                                                       "aucune demande refusée par la limite de débit depuis le démarrage de pillboxd"))]
        }
        let ago = Human.duration(seconds: max(0, Int(now.timeIntervalSince(last))))
        let detail = tr("\(limited.refused) request(s) refused by the rate limit since pillboxd started, the last from uid \(limited.lastUid) \(ago) ago",
                        "\(limited.refused) demande(s) refusée(s) par la limite de débit depuis le démarrage de pillboxd, la dernière de l'uid \(limited.lastUid) il y a \(ago)")
        guard now.timeIntervalSince(last) <= StatusVerdict.rateLimitedWindowSeconds else {
            return [DoctorFinding("clients", .pass, detail)]
        }
        return [DoctorFinding("clients", .warn, detail,
                              fix: tr("a program of uid \(limited.lastUid) is probably looping: find it with `ps -u \(limited.lastUid)` and `journalctl -u pillboxd` "
                                      + "(docs/configuration.md, Requests per caller)",
                                      "un programme de l'uid \(limited.lastUid) tourne probablement en boucle : le trouver avec `ps -u \(limited.lastUid)` et "
                                      + "`journalctl -u pillboxd` (docs/configuration.md, Requests per caller)"))]
    }

    func backupChecks(_ backup: BackupFacts?, daemonAnswered: Bool, now: Date = Date()) -> [DoctorFinding] {
        guard daemonAnswered else {
            return [DoctorFinding("backup", .skip, tr("pillboxd does not answer", "pillboxd ne répond pas"))]
        }
        guard let time = backup?.lastBackupAt, let last = Timestamps.parseRFC3339(time) else {
            return [DoctorFinding("backup", .warn, tr("no backup reported", "aucune sauvegarde signalée"),
                                  fix: tr("enable the backup timer: `systemctl enable --now pillbox-backup.timer` (docs/operations.md, Backup)",
                                          "activer la minuterie de sauvegarde : `systemctl enable --now pillbox-backup.timer` (docs/operations.md, Backup)"))]
        }
        let age = Int(now.timeIntervalSince(last))
        guard age <= maxBackupAgeHours * 3600 else {
            return [DoctorFinding("backup", .fail, tr("last backup \(Human.age(seconds: age))", "dernière sauvegarde \(Human.age(seconds: age))"),
                                  fix: tr("`systemctl status pillbox-backup.timer pillbox-backup.service`; is the backup disk mounted?",
                                          "`systemctl status pillbox-backup.timer pillbox-backup.service` ; le disque de sauvegarde est-il monté ?"))]
        }
        return [DoctorFinding("backup", .pass, tr("last backup \(Human.age(seconds: age))", "dernière sauvegarde \(Human.age(seconds: age))"))]
    }
}
