import ArgumentParser
import Foundation
import PillboxClient
import PillboxConsole
import PillboxDaemon
import PillboxWire

struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a fresh or troubled install; say what to do for each failing check.",
        discussion: """
            Reads the daemon's configuration (--config, the same file pillboxd reads) and checks, \
            in order: the configuration itself; the master key the daemon reads (key file, else \
            the unsealed credential in $CREDENTIALS_DIRECTORY when set, else the sealed systemd \
            credential) is present, owned by root or the service user, mode 0600 or stricter; the \
            data folder's owner and mode (0700); the socket exists with the dispensing group and \
            the configured mode, in a folder that group may enter; free disk; pillboxd answers and \
            its store is writable; the clock is not before the newest record and NTP is \
            synchronised (when timedatectl can tell); the central TLS files are readable, the key \
            matches the certificate, which does not expire within --certificate-days; the central \
            record answers GET metadata and accepts PUT-as-create (updateCreate); the last backup \
            is recent. Run it as root: it reads files only root may read.

            Each line starts with OK, FAIL, WARN or SKIP; under each FAIL or WARN, "→" says what \
            to do. docs/operations.md ("pillbox doctor") explains every check.

            Examples:
              sudo pillbox doctor
              sudo pillbox doctor --config /etc/pillbox/pillbox.json --json

            Exit codes:
              0   no check failed (warnings and skipped checks allowed)
              1   at least one check failed
            """)

    @Option(name: .long, help: "The daemon's configuration file.")
    var config: String = "/etc/pillbox/pillbox.json"

    @Flag(name: .long, help: "Print the findings as JSON.")
    var json = false

    @Option(name: .long, help: "The daemon's user (may own the key and the data folder).")
    var serviceUser: String = "pillbox"

    @Option(name: .long, help: "The group the socket must belong to (default: the group given the dispense role in roles.groups, else pillbox).")
    var socketGroup: String?

    @Option(name: .long, help: "With no key file configured: the sealed credential to check (default: /etc/pillbox/master.key.cred, else /etc/pillbox/master.key).")
    var credential: String?

    @Option(name: .long, help: "Fail when less than this share of the data folder's disk is free (percent).")
    var minFreeDiskPercent: Double = 10

    @Option(name: .long, help: "Fail when the central client certificate expires within this many days.")
    var certificateDays: Int = 30

    @Option(name: .long, help: "Fail when the last backup is older than this many hours.")
    var maxBackupAgeHours: Int = 48

    @Option(name: .long, help: ArgumentHelp("timedatectl to ask about NTP (tests point it elsewhere).", visibility: .hidden))
    var timedatectl: String = "/usr/bin/timedatectl"

    @Option(name: .long, help: "Wait at most this many seconds for timedatectl's answer (the ntp check is then skipped).")
    var ntpTimeoutSeconds: Int = 5

    func validate() throws {
        guard ntpTimeoutSeconds >= 1 else {
            throw ValidationError(tr("--ntp-timeout-seconds must be at least 1", "--ntp-timeout-seconds doit être au moins 1"))
        }
    }

    func run() async throws {
        var findings: [DoctorFinding] = []
        let environment = ProcessInfo.processInfo.environment
        let explicit = CommandLine.arguments.contains { $0 == "--config" || $0.hasPrefix("--config=") }
        let file: String? = explicit || FileManager.default.fileExists(atPath: config) ? config : nil
        let settings: DaemonConfiguration
        do {
            settings = try DaemonConfiguration.resolve(configFile: file, environment: environment)
            if let file {
                findings.append(DoctorFinding("config", .pass, tr("\(file) is valid", "\(file) est valide")))
            } else {
                findings.append(DoctorFinding("config", .warn, tr("no \(config): pillboxd runs on its defaults", "pas de \(config) : pillboxd tourne avec ses valeurs par défaut"),
                                              fix: tr("copy systemd/pillbox.json.example to \(config) and set the central section",
                                                      "copier systemd/pillbox.json.example vers \(config) et régler la section central")))
            }
        } catch {
            findings.append(DoctorFinding("config", .fail, "\(error)",
                                          fix: tr("correct the setting named above (docs/configuration.md); `pillboxd --check-config --config \(config)` checks it",
                                                  "corriger le réglage nommé ci-dessus (docs/configuration.md) ; `pillboxd --check-config --config \(config)` le vérifie")))
            try finish(findings)
            return
        }
        findings += keyChecks(settings, environment: environment)
        findings += dataFolderChecks(settings)
        findings += socketChecks(settings)
        findings += diskChecks(settings)
        let daemon = await daemonChecks(settings)
        findings += daemon.findings
        findings += clientChecks(status: daemon.status)
        findings += clockChecks(status: daemon.status)
        findings += tlsChecks(settings)
        findings += await centralChecks(settings)
        findings += backupChecks(daemon.backup, daemonAnswered: daemon.status != nil)
        try finish(findings)
    }

    private func finish(_ findings: [DoctorFinding]) throws {
        let report = DoctorReport(findings: findings)
        if json {
            try Output.json(DoctorJSON(ok: report.exitCode == 0, findings: findings))
        } else {
            for line in report.lines { Output.line(line) }
        }
        throw ExitCode(report.exitCode)
    }

    /// `pillbox doctor --json`.
    struct DoctorJSON: Encodable {
        var ok: Bool
        var findings: [DoctorFinding]
    }
}
