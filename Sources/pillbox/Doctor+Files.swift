import Foundation
import PillboxConsole
import PillboxCrypto
import PillboxDaemon
import PillboxStore

// The file checks of `pillbox doctor`: key, data folder, socket, disk.

extension Doctor {
    /// Root and the service user (when it exists).
    var allowedOwners: [UInt32] { [0] + [SystemFacts.uid(ofUser: serviceUser)].compactMap { $0 } }

    private var ownersText: String { tr("root or \(serviceUser)", "root ou \(serviceUser)") }

    /// The master key the daemon reads, in its order (`MasterKeyResolver`): the configuration's
    /// `keyFile`; else the credential systemd unsealed into `$CREDENTIALS_DIRECTORY` when that is
    /// set (doctor run inside the unit, or with its credentials); else the sealed credential on disk.
    func keyChecks(_ settings: DaemonConfiguration, environment: [String: String]) -> [DoctorFinding] {
        let path: String
        var missingFix = tr("create it as systemd/README.md says (\"The master key\"), or restore the escrowed key",
                            "la créer comme le dit systemd/README.md (« The master key »), ou restaurer la clé mise en dépôt")
        if let keyFile = settings.keyFile {
            path = keyFile
        } else if let credential {
            path = credential
        } else if let credentials = environment["CREDENTIALS_DIRECTORY"] {
            path = (credentials as NSString).appendingPathComponent(MasterKeySource.credentialName)
            missingFix = tr("hand it to the service: LoadCredentialEncrypted=\(MasterKeySource.credentialName):/etc/pillbox/master.key.cred "
                            + "(systemd/pillboxd.service)",
                            "la donner au service : LoadCredentialEncrypted=\(MasterKeySource.credentialName):/etc/pillbox/master.key.cred "
                            + "(systemd/pillboxd.service)")
        } else {
            let sealed = "/etc/pillbox/master.key.cred"
            path = FileManager.default.fileExists(atPath: sealed) || !FileManager.default.fileExists(atPath: "/etc/pillbox/master.key")
                ? sealed : "/etc/pillbox/master.key"
        }
        return [secretFileCheck("key", path: path, what: tr("master key", "clé maîtresse"), missingFix: missingFix)]
    }

    /// A secret file: present, a regular file (not a link), owned by root or the service user, 0600 or stricter.
    func secretFileCheck(_ check: String, path: String, what: String, missingFix: String) -> DoctorFinding {
        switch SystemFacts.info(path) {
        case .failure(let error) where error.code == ENOENT:
            return DoctorFinding(check, .fail, tr("\(what) \(path) is missing", "\(what) \(path) absente"), fix: missingFix)
        case .failure(let error):
            return DoctorFinding(check, .fail, tr("\(what) \(path) cannot be examined: \(error.message)", "\(what) \(path) illisible : \(error.message)"),
                                 fix: tr("run `sudo pillbox doctor`", "lancer `sudo pillbox doctor`"))
        case .success(let info):
            guard info.isRegular else {
                return DoctorFinding(check, .fail, tr("\(what) \(path) is not a regular file", "\(what) \(path) n'est pas un fichier ordinaire"),
                                     fix: tr("replace it by the key file itself (no link)", "la remplacer par le fichier de clé lui-même (pas de lien)"))
            }
            let permissions = FilePermissions(ownerUID: info.uid, mode: info.mode)
            let owner = SystemFacts.userName(info.uid)
            guard permissions.ownedByOneOf(allowedOwners) else {
                return DoctorFinding(check, .fail, tr("\(what) \(path) is owned by \(owner)", "\(what) \(path) appartient à \(owner)"),
                                     fix: "chown root:root \(path)   (\(ownersText))")
            }
            guard permissions.isPrivate else {
                return DoctorFinding(check, .fail, tr("\(what) \(path) has mode \(permissions.octal): others may read it",
                                                     "\(what) \(path) a le mode \(permissions.octal) : d'autres peuvent la lire"),
                                     fix: "chmod 600 \(path)")
            }
            return DoctorFinding(check, .pass, "\(path) (\(owner), \(permissions.octal))")
        }
    }

    func dataFolderChecks(_ settings: DaemonConfiguration) -> [DoctorFinding] {
        let path = settings.dataDir
        switch SystemFacts.info(path) {
        case .failure(let error):
            return [DoctorFinding("data-folder", .fail, tr("\(path): \(error.message)", "\(path) : \(error.message)"),
                                  fix: tr("start pillboxd once (systemd creates it: StateDirectory=), or run as root",
                                          "démarrer pillboxd une fois (systemd le crée : StateDirectory=), ou lancer en root"))]
        case .success(let info):
            guard info.isDirectory else {
                return [DoctorFinding("data-folder", .fail, tr("\(path) is not a folder", "\(path) n'est pas un dossier"),
                                      fix: tr("move it aside; pillboxd creates the folder", "le déplacer ; pillboxd crée le dossier"))]
            }
            let permissions = FilePermissions(ownerUID: info.uid, mode: info.mode)
            let owner = SystemFacts.userName(info.uid)
            guard permissions.ownedByOneOf(allowedOwners) else {
                return [DoctorFinding("data-folder", .fail, tr("\(path) is owned by \(owner)", "\(path) appartient à \(owner)"),
                                      fix: "chown -R \(serviceUser):\(serviceUser) \(path)")]
            }
            guard permissions.isPrivate else {
                return [DoctorFinding("data-folder", .fail, tr("\(path) has mode \(permissions.octal): others may enter",
                                                             "\(path) a le mode \(permissions.octal) : d'autres peuvent y entrer"),
                                      fix: "chmod 700 \(path)")]
            }
            return [DoctorFinding("data-folder", .pass, "\(path) (\(owner), \(permissions.octal))")]
        }
    }

    /// The group the socket should belong to.
    func expectedSocketGroup(_ settings: DaemonConfiguration) -> String {
        if let socketGroup { return socketGroup }
        return settings.roles.groups.filter { $0.value == .dispense }.keys.sorted().first ?? "pillbox"
    }

    func socketChecks(_ settings: DaemonConfiguration) -> [DoctorFinding] {
        let path = settings.socketPath
        let group = expectedSocketGroup(settings)
        guard let gid = SystemFacts.gid(ofGroup: group) else {
            return [DoctorFinding("socket", .fail, tr("group \(group) does not exist", "le groupe \(group) n'existe pas"),
                                  fix: tr("install systemd/pillbox.sysusers.conf and run `systemd-sysusers`, or `groupadd \(group)`",
                                          "installer systemd/pillbox.sysusers.conf et lancer `systemd-sysusers`, ou `groupadd \(group)`"))]
        }
        switch SystemFacts.info(path) {
        case .failure(let error):
            return [DoctorFinding("socket", .fail, tr("\(path): \(error.message)", "\(path) : \(error.message)"),
                                  fix: tr("start pillboxd: `systemctl enable --now pillboxd`; then `journalctl -u pillboxd`",
                                          "démarrer pillboxd : `systemctl enable --now pillboxd` ; puis `journalctl -u pillboxd`"))]
        case .success(let info):
            guard info.isSocket else {
                return [DoctorFinding("socket", .fail, tr("\(path) is not a socket", "\(path) n'est pas un socket"),
                                      fix: tr("remove it and restart pillboxd", "le supprimer et redémarrer pillboxd"))]
            }
            let mode = FilePermissions(ownerUID: info.uid, mode: info.mode)
            let wanted = FilePermissions(ownerUID: 0, mode: settings.socketMode)
            var problems: [String] = []
            var fixes: [String] = []
            if info.gid != gid {
                problems.append(tr("group \(SystemFacts.groupName(info.gid)) instead of \(group)",
                                   "groupe \(SystemFacts.groupName(info.gid)) au lieu de \(group)"))
                fixes.append(tr("give pillboxd the group \(group) (the unit's Group=) and restart it; now: chgrp \(group) \(path)",
                                "donner à pillboxd le groupe \(group) (Group= de l'unité) et le redémarrer ; tout de suite : chgrp \(group) \(path)"))
            }
            if info.mode != settings.socketMode {
                problems.append(tr("mode \(mode.octal) instead of \(wanted.octal)", "mode \(mode.octal) au lieu de \(wanted.octal)"))
                fixes.append("chmod \(wanted.octal) \(path)")
            }
            let folder = (path as NSString).deletingLastPathComponent
            if case .success(let parent) = SystemFacts.info(folder),
               !(parent.gid == gid && parent.mode & 0o010 != 0) && parent.mode & 0o001 == 0 {
                problems.append(tr("group \(group) may not enter \(folder)", "le groupe \(group) ne peut pas entrer dans \(folder)"))
                fixes.append("chgrp \(group) \(folder); chmod 750 \(folder)")
            }
            guard problems.isEmpty else {
                return [DoctorFinding("socket", .fail, "\(path): " + problems.joined(separator: "; "), fix: fixes.joined(separator: "; "))]
            }
            return [DoctorFinding("socket", .pass, "\(path) (\(SystemFacts.groupName(info.gid)), \(mode.octal))")]
        }
    }

    func diskChecks(_ settings: DaemonConfiguration) -> [DoctorFinding] {
        guard let disk = DiskSpace.of(settings.dataDir) ?? DiskSpace.of((settings.dataDir as NSString).deletingLastPathComponent),
              disk.totalBytes > 0 else {
            return [DoctorFinding("disk", .skip, tr("cannot read the free space of \(settings.dataDir)", "espace libre de \(settings.dataDir) illisible"))]
        }
        let percent = Double(disk.freeBytes) * 100 / Double(disk.totalBytes)
        let text = tr("\(Human.bytes(disk.freeBytes)) free of \(Human.bytes(disk.totalBytes)) (\(Human.percent(percent)))",
                      "\(Human.bytes(disk.freeBytes)) libres sur \(Human.bytes(disk.totalBytes)) (\(Human.percent(percent)))")
        guard percent >= minFreeDiskPercent else {
            return [DoctorFinding("disk", .fail, text, fix: tr("free space on the data folder's disk (old logs: `journalctl --vacuum-size=100M`; an audit trail grown large: "
                                                                   + "`pillbox audit archive`, docs/audit-archive.md), or a larger disk",
                                                               "libérer de l'espace sur le disque des données (anciens journaux : `journalctl --vacuum-size=100M` ; "
                                                                   + "un journal d'audit devenu gros : `pillbox audit archive`, docs/audit-archive.md), ou un plus grand disque"))]
        }
        return [DoctorFinding("disk", .pass, text)]
    }
}
