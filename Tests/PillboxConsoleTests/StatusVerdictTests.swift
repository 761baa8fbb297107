import Foundation
import PillboxConsole
import PillboxModel
import PillboxWire
import Testing

/// A status of a healthy uploading box at `now`, to change one fact at a time.
func healthyStatus(now: Date) -> StatusResponse {
    var status = StatusResponse(
        version: "1.0.0", uptimeSeconds: 7200, records: 1234, pendingUploads: 3, oldestPendingAgeSeconds: 42, deadLetters: 0,
        auditEntriesDropped: 0, keyId: "0123456789abcdef", dataKeyId: "data-00112233445566ff", databaseBytes: 3_240_000,
        mode: "upload",
        central: .init(configured: true, reachable: true, lastSuccessAt: Timestamps.format(now.addingTimeInterval(-120))),
        storage: StorageReport(state: .ok))
    status.lastUploadAt = Timestamps.format(now.addingTimeInterval(-120))
    status.disk = .init(freeBytes: 20_000_000_000, totalBytes: 64_000_000_000)
    status.centralProfiles = .init(count: 12, oldestFetchedAt: Timestamps.format(now.addingTimeInterval(-3 * 86_400)),
                                   newestFetchedAt: Timestamps.format(now.addingTimeInterval(-300)))
    status.keys = [.init(id: "data-00112233445566ff", purpose: "data", createdAt: Timestamps.format(now.addingTimeInterval(-40 * 86_400)))]
    return status
}

@Suite struct StatusVerdictTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func failing(for seconds: Double) -> @Sendable (inout StatusResponse) -> Void {
        { status in
            status.central.reachable = false
            status.central.failingSince = Timestamps.format(now.addingTimeInterval(-seconds))
        }
    }

    static func limited(secondsAgo: Double) -> @Sendable (inout StatusResponse) -> Void {
        { status in
            status.rateLimited = .init(refused: 7, lastUid: 1001, lastAt: Timestamps.format(now.addingTimeInterval(-secondsAgo)))
        }
    }

    static let cases: [(String, @Sendable (inout StatusResponse) -> Void, StatusVerdict.Level, [String])] = [
        ("healthy", { _ in }, .healthy, []),
        ("dead letters", { $0.deadLetters = 2 }, .degraded, ["dead-letters"]),
        ("central unreachable 61 min", failing(for: 3660), .degraded, ["central-unreachable"]),
        ("central unreachable 59 min is still healthy", failing(for: 3540), .healthy, []),
        ("central refuses credentials", { $0.central.problem = "credentials" }, .degraded, ["central-refuses"]),
        ("disk 9.9 % free", { $0.disk = .init(freeBytes: 99, totalBytes: 1000) }, .degraded, ["disk-low"]),
        ("disk 10 % free is healthy", { $0.disk = .init(freeBytes: 100, totalBytes: 1000) }, .healthy, []),
        ("storage unavailable", { $0.storage = StorageReport(state: .unavailable) }, .degraded, ["storage-not-ok"]),
        ("audit entries lost", { $0.auditEntriesDropped = 1 }, .degraded, ["audit-entries-dropped"]),
        ("backup overdue", { $0.backupOverdue = true; $0.lastBackupAt = "2026-11-01T02:30:00Z" }, .degraded, ["backup-overdue"]),
        ("backup recent", { $0.backupOverdue = false; $0.lastBackupAt = "2026-11-30T02:30:00Z" }, .healthy, []),
        ("store failed: down", { $0.storage = StorageReport(state: .failed) }, .down, ["store-unwritable"]),
        ("disk full: down, with the dead letters", { $0.storage = StorageReport(state: .diskFull); $0.deadLetters = 1 },
         .down, ["store-unwritable", "dead-letters"]),
        ("a caller rate-limited 9 min ago", limited(secondsAgo: 540), .degraded, ["client-rate-limited"]),
        ("a caller rate-limited 10 min ago", limited(secondsAgo: 600), .degraded, ["client-rate-limited"]),
        ("a caller rate-limited 11 min ago is healthy again", limited(secondsAgo: 660), .healthy, []),
        ("local-only: central facts ignored", { $0.central = .init(configured: false, reachable: false); $0.mode = "local-only" },
         .healthy, []),
    ]

    @Test(arguments: 0..<cases.count)
    func rules(index: Int) {
        let (name, change, level, codes) = Self.cases[index]
        var status = healthyStatus(now: Self.now)
        change(&status)
        let verdict = StatusVerdict.judge(status, now: Self.now)
        #expect(verdict.level == level, "\(name)")
        #expect(verdict.reasons.map(\.code) == codes, "\(name)")
    }

    @Test func thresholdsAreSettings() {
        var status = healthyStatus(now: Self.now)
        Self.failing(for: 700)(&status)
        #expect(StatusVerdict.judge(status, now: Self.now, thresholds: .init(centralOutageSeconds: 600)).level == .degraded)
        #expect(StatusVerdict.judge(status, now: Self.now).level == .healthy)
        status.disk = .init(freeBytes: 150, totalBytes: 1000)
        #expect(StatusVerdict.judge(status, now: Self.now, thresholds: .init(minFreeDiskPercent: 20)).reasons.map(\.code) == ["disk-low"])
    }

    @Test func unreachableSinceFallsBackToTheLastSuccessThenTheStart() {
        var status = healthyStatus(now: Self.now)
        status.central.reachable = false
        status.central.lastSuccessAt = Timestamps.format(Self.now.addingTimeInterval(-4000))
        #expect(StatusVerdict.judge(status, now: Self.now).reasons == [.centralUnreachable(since: Self.now.addingTimeInterval(-4000))])
        status.central.lastSuccessAt = nil
        status.uptimeSeconds = 100
        #expect(StatusVerdict.judge(status, now: Self.now).level == .healthy)
    }

    @Test func rateLimitedSaysWhoAndWhatToDo() {
        var status = healthyStatus(now: Self.now)
        Self.limited(secondsAgo: 120)(&status)
        let verdict = StatusVerdict.judge(status, now: Self.now)
        #expect(verdict.reasons == [.clientRateLimited(uid: 1001, refused: 7, lastAt: Self.now.addingTimeInterval(-120))])
        let lines = StatusReport(status: status, verdict: verdict, now: Self.now, language: .en, colour: false).lines
        #expect(lines.contains("Rate-limited:     7 requests (last: uid 1001, 2 min ago)"))
        #expect(lines.last == "  ! uid 1001 sent requests faster than limits.requestsPerSecondPerUid allows (7 refused since start, the last 2 min ago): "
                + "a program is probably looping; find it with `ps -u 1001` and `journalctl -u pillboxd` (docs/operations.md)")
    }

    @Test func downExitsTwo() {
        let verdict = StatusVerdict.down("connection refused")
        #expect(verdict.level.rawValue == 2)
        #expect(verdict.reasons.map(\.code) == ["daemon-down"])
    }
}

@Suite struct StatusReportTests {
    static let now = StatusVerdictTests.now

    @Test func englishScreen() {
        var status = healthyStatus(now: Self.now)
        status.deadLetters = 1
        let verdict = StatusVerdict.judge(status, now: Self.now)
        let lines = StatusReport(status: status, verdict: verdict, now: Self.now, language: .en, colour: false).lines
        #expect(lines == [
            "Pillbox           1.0.0, up 2 h",
            "State:            DEGRADED",
            "Records:          1234",
            "Pending uploads:  3 (oldest 42 s ago)",
            "Dead letters:     1",
            "Central record:   reachable; last answer 2 min ago",
            "Last upload:      2 min ago",
            "Cached profiles:  12 (oldest 3 d ago, newest 5 min ago)",
            "Master key:       0123456789abcdef",
            "Key (data):       data-00112233445566ff, made 40 d ago",
            "Database:         3.2 MB",
            "Free disk:        20.0 GB of 64.0 GB (31 %)",
            "Storage:          ok",
            "  ! 1 dead letter(s): the central record refused them; see `pillbox queue --state failed`, then `pillbox retry`",
        ])
    }

    @Test func frenchScreenWithAnOutage() {
        var status = healthyStatus(now: Self.now)
        status.central.reachable = false
        status.central.failingSince = Timestamps.format(Self.now.addingTimeInterval(-7300))
        status.central.lastError = "HTTP 503"
        status.central.lastErrorAt = Timestamps.format(Self.now.addingTimeInterval(-10))
        status.disk = .init(freeBytes: 5_000_000_000, totalBytes: 64_000_000_000)
        let verdict = StatusVerdict.judge(status, now: Self.now)
        let lines = StatusReport(status: status, verdict: verdict, now: Self.now, language: .fr, colour: false).lines
        #expect(lines.contains("État :               DÉGRADÉ"))
        #expect(lines.contains("Dossier central :    INJOIGNABLE depuis 2 h ; dernière réponse il y a 2 min"))
        #expect(lines.contains("Dernière erreur :    HTTP 503 (il y a 10 s)"))
        #expect(lines.contains("Disque libre :       5,0 Go sur 64,0 Go (7,8 %)"))
        #expect(lines.contains("  ! le dossier central est injoignable depuis 2 h ; les dossiers attendent dans la file ; vérifier le réseau"))
        #expect(lines.contains("  ! seulement 7,8 % du disque est libre ; libérer de l'espace (`pillbox doctor` dit comment) ou ajouter un disque"))
        #expect(!lines.joined().contains("ago"))
    }

    @Test func colourOnlyWhenAsked() {
        let status = healthyStatus(now: Self.now)
        let verdict = StatusVerdict.judge(status, now: Self.now)
        #expect(StatusReport(status: status, verdict: verdict, now: Self.now, language: .en, colour: true).lines[1]
            .hasSuffix("\u{1B}[32mHEALTHY\u{1B}[0m"))
    }
}

@Suite struct DoctorReportTests {
    @Test func linesAndExitCode() {
        let findings = [
            DoctorFinding("key", .fail, "master key /etc/pillbox/master.key has mode 0644", fix: "chmod 600 /etc/pillbox/master.key"),
            DoctorFinding("disk", .pass, "20.0 GB free"),
            DoctorFinding("ntp", .skip, "timedatectl is not installed"),
        ]
        let report = DoctorReport(findings: findings, language: .en, colour: false)
        #expect(report.exitCode == 1)
        #expect(report.lines == [
            "FAIL  key   master key /etc/pillbox/master.key has mode 0644",
            "            → chmod 600 /etc/pillbox/master.key",
            "OK    disk  20.0 GB free",
            "SKIP  ntp   timedatectl is not installed",
            "1 passed, 1 failed, 0 warning(s)",
        ])
        #expect(DoctorReport(findings: Array(findings.dropFirst()), language: .fr, colour: false).exitCode == 0)
        #expect(DoctorReport(findings: findings, language: .fr, colour: false).lines.last == "1 réussi(s), 1 échoué(s), 0 avertissement(s)")
    }

    @Test func filePermissions() {
        #expect(FilePermissions(ownerUID: 0, mode: 0o600).isPrivate)
        #expect(FilePermissions(ownerUID: 0, mode: 0o400).isPrivate)
        #expect(!FilePermissions(ownerUID: 0, mode: 0o644).isPrivate)
        #expect(!FilePermissions(ownerUID: 0, mode: 0o640).isPrivate)
        #expect(FilePermissions(ownerUID: 0, mode: 0o644).octal == "0644")
        #expect(FilePermissions(ownerUID: 998, mode: 0o600).ownedByOneOf([0, 998]))
        #expect(!FilePermissions(ownerUID: 1000, mode: 0o600).ownedByOneOf([0, 998]))
    }
}
