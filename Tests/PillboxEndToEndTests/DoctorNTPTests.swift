import Foundation
import PillboxTestSupport
import Testing

/// `pillbox doctor`'s `ntp` check against stand-ins for timedatectl: what each answer gives,
/// and that a timedatectl that never answers (D-Bus or systemd-timedated stuck) costs the
/// technician `--ntp-timeout-seconds`, not the whole doctor run. No daemon: the `ntp` check
/// does not need one.
@Suite("pillbox doctor: the NTP check and a timedatectl that does not answer", .serialized)
struct DoctorNTPTests {
    /// Runs doctor with `script` as timedatectl; its `ntp` finding and how long the run took.
    static func ntpFinding(script: String, extra: [String] = []) async throws -> (finding: DoctorJSON.Finding, seconds: Double) {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let timedatectl = directory.file("timedatectl")
        try Data(("#!/bin/sh\n" + script + "\n").utf8).write(to: URL(fileURLWithPath: timedatectl))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: timedatectl)
        let configPath = directory.file("pillbox.json")
        let config: [String: Any] = ["dataDir": directory.file("data"), "socket": directory.file("s")]
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        let started = Date()
        let result = try await runPillbox(["doctor", "--config", configPath, "--json", "--timedatectl", timedatectl,
                                           "--min-free-disk-percent", "1"] + extra)
        let seconds = Date().timeIntervalSince(started)
        let report = try JSONDecoder().decode(DoctorJSON.self, from: Data(result.out.utf8))
        return (try #require(report.finding("ntp")), seconds)
    }

    @Test("timedatectl says yes: pass; it is asked for NTPSynchronized only")
    func synchronised() async throws {
        // The stand-in answers yes only to the exact question doctor asks.
        let (finding, _) = try await Self.ntpFinding(script: """
            [ "$*" = "show --property=NTPSynchronized --value" ] && echo yes && exit 0
            echo "unexpected: $*" >&2; exit 3
            """)
        #expect(finding.outcome == "pass")
        #expect(finding.detail == "synchronised")
        #expect(finding.fix == nil)
    }

    @Test("timedatectl says no: fail, with what to do")
    func notSynchronised() async throws {
        let (finding, _) = try await Self.ntpFinding(script: "echo no")
        #expect(finding.outcome == "fail")
        #expect(finding.detail == "the clock is not synchronised by NTP")
        #expect(finding.fix == "`timedatectl set-ntp true`; check that the box reaches its NTP server (systemd-timesyncd)")
    }

    @Test("timedatectl fails (no systemd-timedated): skip")
    func cannotTell() async throws {
        let (finding, _) = try await Self.ntpFinding(script: "echo 'Failed to connect to bus' >&2; exit 1")
        #expect(finding.outcome == "skip")
        #expect(finding.detail == "timedatectl cannot tell (no systemd-timedated here)")
    }

    @Test("timedatectl never answers: skip after --ntp-timeout-seconds, and doctor goes on to its later checks")
    func doesNotAnswer() async throws {
        // `exec`: the stand-in becomes the sleep, so stopping it leaves nothing behind.
        let (finding, seconds) = try await Self.ntpFinding(script: "exec sleep 600", extra: ["--ntp-timeout-seconds", "1"])
        #expect(finding.outcome == "skip")
        #expect(finding.detail == "timedatectl did not answer within 1 s (stopped)")
        // Without the limit the run lasts the stand-in's 600 s; with it, about 1 s plus the
        // other checks (a generous bound: this is a hang check, not a timing).
        #expect(seconds < 60)
    }

    @Test("--ntp-timeout-seconds below 1 is refused with a clear error")
    func badTimeout() async throws {
        let result = try await runPillbox(["doctor", "--ntp-timeout-seconds", "0"])
        #expect(result.code == 64)
        #expect(result.err.contains("--ntp-timeout-seconds must be at least 1"))
    }
}
