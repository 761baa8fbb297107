import ArgumentParser
import Foundation
import PillboxClient
import PillboxConsole
import PillboxModel
import PillboxWire

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Is this box healthy? One screen: records, uploads, central record, keys, disk (admin).",
        discussion: """
            Asks pillboxd (over its socket, as root or an admin user) for its state and judges it.
            Each line is explained in docs/operations.md ("pillbox status").

            The box is DEGRADED when: dead letters are waiting; the central record refuses uploads \
            (credentials, configuration, systemic refusal); the central record has been unreachable \
            for longer than --central-outage-minutes; less than --min-free-disk-percent of the data \
            folder's disk is free; storage is unavailable; audit entries were lost. It is DOWN when \
            pillboxd does not answer or its store refuses writes (failed write, full disk).
            In local-only mode (no central record configured) nothing is pending upload.

            Examples:
              sudo pillbox status
              sudo pillbox status --json | jq .health
              sudo pillbox status && echo OK

            Exit codes:
              0   healthy
              1   degraded (the lines marked "!" say why and what to do)
              2   down: pillboxd does not answer, or its store refuses writes
              77  this user may not read the status (use sudo)
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "Degraded when the central record has been unreachable longer than this (minutes).")
    var centralOutageMinutes: Int = 60

    @Option(name: .long, help: "Degraded when less than this share of the data folder's disk is free (percent).")
    var minFreeDiskPercent: Double = 10

    func validate() throws {
        guard centralOutageMinutes >= 0 else { throw ValidationError(tr("--central-outage-minutes must be 0 or more", "--central-outage-minutes doit être 0 ou plus")) }
        guard (0...100).contains(minFreeDiskPercent) else {
            throw ValidationError(tr("--min-free-disk-percent must be 0 to 100", "--min-free-disk-percent doit être entre 0 et 100"))
        }
    }

    func run() async throws {
        let thresholds = StatusVerdict.Thresholds(centralOutageSeconds: centralOutageMinutes * 60, minFreeDiskPercent: minFreeDiskPercent)
        let status: StatusResponse
        do {
            status = try await connection.client().call(LocalAPI.status).value
        } catch let problem as LocalProblem where problem.status != 503 {
            throw Output.problem(problem)
        } catch {
            let verdict = StatusVerdict.down("\(error)")
            if connection.json {
                try Output.json(StatusJSON(status: nil, verdict: verdict, now: Date()))
            } else {
                Output.line(tr("State:  ", "État :  ") + Terminal.paint(verdict.level.word(), .red))
                for reason in verdict.reasons { Output.line("  ! " + reason.message(now: Date())) }
            }
            throw ExitCode(verdict.level.rawValue)
        }
        let now = Date()
        let verdict = StatusVerdict.judge(status, now: now, thresholds: thresholds)
        if connection.json {
            try Output.json(StatusJSON(status: status, verdict: verdict, now: now))
        } else {
            for line in StatusReport(status: status, verdict: verdict, now: now).lines { Output.line(line) }
        }
        throw ExitCode(verdict.level.rawValue)
    }
}
