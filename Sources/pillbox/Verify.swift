import ArgumentParser
import Foundation
import PillboxClient
import PillboxConsole
import PillboxStore
import PillboxWire

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that the store is sound: the database file, every record, the upload queue, the audit trail.",
        discussion: """
            With pillboxd running, the daemon checks its own store (reads only; dispensing goes on). \
            With pillboxd stopped, give --data-dir and --key-file (or --config) and the tool checks the \
            folder itself; it refuses while a pillboxd holds the folder. Each problem names a record id, \
            an upload queue entry or an audit entry, never patient data.

            Exit codes: 0 nothing wrong; 1 problems found (listed); 69 pillboxd cannot be reached; \
            74 the database cannot be read; 75 a pillboxd is running on the folder (offline check refused); \
            77 this user is not an admin of pillboxd; 78 no master key, or it does not open the folder, or \
            the configuration is invalid.
            """)

    @OptionGroup var offline: OfflineOptions
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if offline.isOffline && connection.socket != nil {
            throw ValidationError(tr("--socket checks through the daemon; --data-dir, --key-file and --config check the folder "
                                     + "with the daemon stopped: give one or the other",
                                     "--socket vérifie par pillboxd; --data-dir, --key-file et --config vérifient le dossier "
                                     + "pillboxd arrêté : donnez l'un ou l'autre"))
        }
    }

    func run() async throws {
        let report = offline.isOffline ? try Self.checkOffline(offline, scope: "all") : try await Self.checkOnline(connection, scope: "all")
        try Self.finish(report, json: connection.json)
    }

    /// Checks the folder in this process, with a progress line on a terminal.
    static func checkOffline(_ offline: OfflineOptions, scope: String) throws -> VerifyReport {
        let handle = try offline.open(try offline.folder())
        defer { handle.close() }
        var bar: ProgressLine?
        let result: StoreVerification
        do {
            if scope == "audit" {
                result = try handle.store.verifyAudit()
            } else {
                result = try handle.store.verify { done, total in
                    if bar == nil { bar = ProgressLine(tr("Checking", "Vérification"), total: total) }
                    bar?.update(done: done)
                }
            }
        } catch {
            bar?.finish()
            Output.error(tr(error.message, "lecture impossible : \(error.message)"))
            throw ExitCode(74)
        }
        bar?.finish()
        return VerifyReport(scope: scope, problems: result.problems, checked: result.checked)
    }

    /// Asks the daemon to check its store: one request, which may take minutes on a large
    /// store. The daemon answers once, at the end; its log shows the progress meanwhile.
    static func checkOnline(_ connection: ConnectionOptions, scope: String) async throws -> VerifyReport {
        if Terminal.progressOnStderr {
            FileHandle.standardError.write(Data(tr("Checking through pillboxd… (`journalctl -u pillboxd -f` shows its progress)\n",
                                                   "Vérification par pillboxd… (`journalctl -u pillboxd -f` montre où elle en est)\n").utf8))
        }
        let client = connection.client(timeoutSeconds: 6 * 3600)
        do {
            return try await client.call(LocalAPI.verify(scope: scope == "all" ? nil : scope)).value
        } catch let problem as LocalProblem {
            throw Output.problem(problem)
        } catch let error as DecodingError {
            Output.error(tr("cannot read pillboxd's answer: \(error)", "réponse de pillboxd illisible : \(error)"))
            throw ExitCode(76)
        } catch {
            Output.error("\(error)")
            throw ExitCode(69)
        }
    }

    /// Prints the report (readable, or one JSON document with --json) and exits 0 only when
    /// nothing is wrong.
    static func finish(_ report: VerifyReport, json: Bool) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            Output.raw(try encoder.encode(report))
        } else {
            for line in VerifyReportText.lines(report) { Output.line(line) }
        }
        if !report.ok { throw ExitCode(1) }
    }
}
