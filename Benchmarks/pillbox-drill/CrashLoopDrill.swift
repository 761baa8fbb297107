import ArgumentParser
import Foundation
import PillboxClient
import PillboxCrypto
import PillboxStore
import PillboxTestSupport

/// Drill 1, crash loop: 16 writers record dispenses and corrections against the real daemon
/// while it is killed with SIGKILL at random moments and restarted, again and again. After
/// each restart: every acknowledged write is there with its exact content (the latest
/// acknowledged version of each dispense), `PRAGMA integrity_check` says ok, the audit chain
/// verifies, and the socket answered within 5 s. See docs/reliability.md, "Crash loop".
struct CrashLoopDrill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash-loop",
        abstract: "Kill -9 the daemon under 16 writers with corrections; check every acknowledged write after each restart.")

    @Option(help: "Kill-restart cycles (default 50; 1000 with PILLBOX_DRILL_LONG=1).")
    var cycles: Int?
    @Option(help: "Concurrent writers.")
    var writers = 16
    @Option(help: "Longest run of writes before a kill, in milliseconds (each kill lands at a random moment up to this; default 500, 1000 with PILLBOX_DRILL_LONG=1).")
    var windowMilliseconds: Int?
    @Option(help: "Run PRAGMA integrity_check after every Nth restart (and once at the end).")
    var integrityEvery = 1
    @Option(help: "Older dispenses re-read after each restart, besides those written in the cycle.")
    var sample = 32
    @Option(help: "Seed of the kill moments and the writers' choices (random when absent).")
    var seed: UInt64?
    @Flag(help: "Print each cycle's figures.")
    var verbose = false
    @Option(help: "Stop cycling after this many minutes (the checks still run and the cycles done are reported).")
    var maxMinutes: Double?

    /// A restart must answer on its socket within this.
    static let readyBudget: Duration = .seconds(5)
    /// Failures printed one by one before the drill only counts them.
    static let printedFailures = 20

    func run() async throws {
        let report = DrillReport(name: "crash-loop")
        let cycles = self.cycles ?? (DrillReport.long ? 1_000 : 50)
        let windowMilliseconds = self.windowMilliseconds ?? (DrillReport.long ? 1_000 : 500)
        let seed = self.seed ?? UInt64.random(in: 0...UInt64.max)
        var random = SplitMix64(seed: seed)
        report.figure("settings", "\(cycles) cycles, \(writers) writers, kill within \(windowMilliseconds) ms, seed \(seed)")

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keyPath = try TestKeys.write(.random(), to: directory.file("master.key"))
        let daemon = DaemonProcess(directory: directory, arguments: ["--key-file", keyPath])
        let databasePath = directory.file("data/pillbox.sqlite")
        let ledger = CrashLoopLedger()
        let drillStart = ContinuousClock.now
        try await daemon.start(timeout: .seconds(30))
        defer { if let pid = daemon.pid { kill(pid, SIGKILL) } }

        var failures = CrashLoopFailures()
        var readyTimes: [Duration] = []
        var answerTimes: [Duration] = []
        var integrityChecks = 0
        var cyclesWithCutWrites = 0
        var cyclesDone = 0
        for cycle in 1...cycles {
            if let maxMinutes, ContinuousClock.now - drillStart > .seconds(maxMinutes * 60) {
                report.figure("time budget", "stopped after \(cyclesDone) of \(cycles) cycles (--max-minutes \(maxMinutes))")
                break
            }
            cyclesDone = cycle
            // Writes, then a kill at a random moment among them.
            let cutBefore = await ledger.cutCreates + ledger.cutCorrections
            let seeds = (0..<writers).map { _ in random.next() }
            let writing = Task {
                await withTaskGroup(of: Void.self) { group in
                    for writer in 0..<writers {
                        group.addTask {
                            var rng = SplitMix64(seed: seeds[writer])
                            // A request never waits long: one cut by a kill fails at once, and one
                            // sent while the daemon is down tries to connect for 2 s (LocalClient's window).
                            let client = LocalClient(socketPath: daemon.socketPath, timeoutSeconds: 3)
                            await Self.write(writer: writer, cycle: cycle, client: client, ledger: ledger, random: &rng)
                        }
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(Int(random.next() % UInt64(windowMilliseconds + 1))))
            let cycleStart = ContinuousClock.now
            try await daemon.kill9()
            await writing.value
            let killed = ContinuousClock.now - cycleStart
            if await ledger.cutCreates + ledger.cutCorrections > cutBefore { cyclesWithCutWrites += 1 }

            // Restart: socket accepting, then a first answer.
            let restart = ContinuousClock.now
            try await daemon.start(timeout: .seconds(60))
            let ready = ContinuousClock.now - restart
            readyTimes.append(ready)
            let client = daemon.client()
            _ = try? await client.send("GET", "/v1/status")
            let answered = ContinuousClock.now - restart
            answerTimes.append(answered)
            if answered > Self.readyBudget { failures.ready("cycle \(cycle): first answer \(Self.ms(answered)) after the restart") }

            // Every write of this cycle, and a sample of older ones, as acknowledged.
            var ids = await ledger.takeTouched()
            let all = await ledger.allIDs
            if !all.isEmpty { ids += (0..<min(sample, all.count)).map { _ in all[Int(random.next() % UInt64(all.count))] } }
            for problem in await Self.verify(Array(Set(ids)), client: client, ledger: ledger) {
                failures.content("cycle \(cycle): \(problem)")
            }
            if cycle % integrityEvery == 0 {
                integrityChecks += 1
                do {
                    let result = try Store.integrityCheck(path: databasePath)
                    if result != ["ok"] { failures.integrity("cycle \(cycle): integrity_check: \(result.prefix(5))") }
                } catch {
                    failures.integrity("cycle \(cycle): integrity_check failed: \(error)")
                }
            }
            if let problem = await Self.auditProblem(client: client, ledger: ledger) { failures.audit("cycle \(cycle): \(problem)") }
            if verbose {
                report.figure("cycle \(cycle)", "writers stopped \(Self.ms(killed)) after the kill; socket \(Self.ms(ready)), "
                              + "first answer \(Self.ms(answered)), checks done \(Self.ms(ContinuousClock.now - restart)) after the restart; "
                              + "\(await ledger.ackedWrites) acknowledged so far")
            }
            if cycle % 10 == 0 || cycle == cycles {
                report.figure("progress", "cycle \(cycle)/\(cycles), \(await ledger.ackedWrites) acknowledged writes, \(failures.total) failures")
            }
        }

        // Last: every dispense ever acknowledged, at its latest acknowledged version.
        let client = daemon.client()
        let everything = await ledger.allIDs
        let finalProblems = await Self.verify(everything, client: client, ledger: ledger)
        for problem in finalProblems { failures.final("final: \(problem)") }
        integrityChecks += 1
        do {
            let result = try Store.integrityCheck(path: databasePath)
            if result != ["ok"] { failures.integrity("final integrity_check: \(result.prefix(5))") }
        } catch {
            failures.integrity("final integrity_check failed: \(error)")
        }
        try await daemon.stop()
        let elapsed = ContinuousClock.now - drillStart

        let acked = await ledger.ackedWrites
        let (creates, corrections) = (await ledger.ackedCreates, await ledger.ackedCorrections)
        let (cutCreates, cutCorrections) = (await ledger.cutCreates, await ledger.cutCorrections)
        let (committed, absent) = (await ledger.cutFoundCommitted, await ledger.cutFoundAbsent)
        let unexpected = await ledger.unexpected
        report.figure("acknowledged writes", "\(acked) (\(creates) dispenses, \(corrections) corrections), \(everything.count) dispenses checked at the end")
        report.figure("writes cut by a kill", "\(cutCreates) recordings, \(cutCorrections) corrections (\(committed) of those corrections had committed, \(absent) had not)")
        report.figure("restart to socket accepting", Self.summary(readyTimes))
        report.figure("restart to first answer", Self.summary(answerTimes))
        report.figure("drill time", "\(Self.seconds(elapsed)) s")

        report.check("every acknowledged write present with its exact content after each of \(cyclesDone) restarts",
                     failures.contentCount == 0, "\(failures.contentCount) problems; \(acked) writes")
        report.check("every dispense at its latest acknowledged version at the end", finalProblems.isEmpty,
                     "\(finalProblems.count) of \(everything.count) wrong")
        report.check("integrity_check ok after every checked restart", failures.integrityCount == 0,
                     "\(integrityChecks) checks, \(failures.integrityCount) not ok")
        report.check("audit chain intact after every restart, with an entry for every acknowledged write", failures.auditCount == 0,
                     "\(failures.auditCount) problems")
        let slowest = answerTimes.max() ?? .zero
        report.check("ready within 5 s of every restart", slowest <= Self.readyBudget, "slowest \(Self.ms(slowest))")
        report.check("no answer other than 201 to a write while the daemon ran", unexpected.isEmpty,
                     unexpected.isEmpty ? "" : "\(unexpected.count), first: \(unexpected[0])")
        report.check("kills landed among writes (some answer cut) in at least 90 % of cycles",
                     cyclesWithCutWrites * 10 >= cyclesDone * 9, "\(cyclesWithCutWrites) of \(cyclesDone) cycles")
        report.check("writes were acknowledged (at least 5 per cycle on average)", acked >= cyclesDone * 5, "\(acked)")
        throw ExitCode(report.finish())
    }

    /// One writer: records new dispenses and corrects its own earlier ones until its first
    /// error (the kill), noting each acknowledged write and each one whose answer was cut.
    static func write(writer: Int, cycle: Int, client: LocalClient, ledger: CrashLoopLedger,
                      random: inout SplitMix64) async {
        var n = 0
        while true {
            n += 1
            if random.next() % 10 < 3, let (id, entry) = await ledger.ownDispense(writer: writer, random: Int(random.next() % 1_000_000)) {
                let note = "correction c\(cycle) w\(writer) n\(n)"
                var body = Samples.dispense(id: entry.pharmacyDispenseID, nam: entry.nam, note: note)
                body["reason"] = "crash-loop drill"
                do {
                    let response = try await client.send("POST", "/v1/dispenses/\(id)/corrections", body: Samples.json(body))
                    guard response.status == 201, let record = response.json, record["version"] as? Int == entry.version + 1 else {
                        await ledger.unexpectedAnswer("correction answered \(response.status)")
                        return
                    }
                    await ledger.corrected(id: id, version: entry.version + 1, record: record)
                } catch {
                    await ledger.correctionCut(id: id, version: entry.version + 1, note: note)
                    return
                }
            } else {
                let pharmacyDispenseID = "CL-\(cycle)-\(writer)-\(n)"
                let nam = String(format: "CRSH%08d", (writer * 7_919 + n) % 5_000)
                do {
                    let response = try await client.send("POST", "/v1/dispenses",
                                                         body: Samples.json(Samples.dispense(id: pharmacyDispenseID, nam: nam)))
                    guard response.status == 201, let record = response.json, let id = record["id"] as? String else {
                        await ledger.unexpectedAnswer("recording answered \(response.status)")
                        return
                    }
                    await ledger.created(id: id, writer: writer, pharmacyDispenseID: pharmacyDispenseID, nam: nam, record: record)
                } catch {
                    await ledger.createCut()
                    return
                }
            }
        }
    }

    /// Reads `ids` back (16 at a time) and returns what does not match the ledger.
    static func verify(_ ids: [String], client: LocalClient, ledger: CrashLoopLedger) async -> [String] {
        await withTaskGroup(of: [String].self) { group in
            let lanes = 16
            for lane in 0..<lanes {
                group.addTask {
                    var problems: [String] = []
                    for index in stride(from: lane, to: ids.count, by: lanes) {
                        if let problem = await verifyOne(ids[index], client: client, ledger: ledger) { problems.append(problem) }
                    }
                    return problems
                }
            }
            var all: [String] = []
            for await problems in group { all += problems }
            return all
        }
    }

    static func verifyOne(_ id: String, client: LocalClient, ledger: CrashLoopLedger) async -> String? {
        guard let entry = await ledger.entry(id) else { return nil }
        let response: LocalResponse
        do {
            response = try await client.send("GET", "/v1/dispenses/\(id)")
        } catch {
            return "reading dispense \(id) failed: \(error)"
        }
        guard response.status == 200, let record = response.json, let version = record["version"] as? Int else {
            return "dispense \(id) (acknowledged at version \(entry.version)) answered \(response.status)"
        }
        let digest = CrashLoopLedger.digest(record)
        if let cut = entry.cut {
            if version == cut.version, record["note"] as? String == cut.note {
                await ledger.resolveCut(id: id, committed: record)
                return nil
            }
            if version == entry.version, digest == entry.digest {
                await ledger.resolveCut(id: id, committed: nil)
                return nil
            }
            return "dispense \(id) is at version \(version): neither the acknowledged \(entry.version) nor the cut correction \(cut.version), or its content differs"
        }
        guard version == entry.version else { return "dispense \(id) is at version \(version), acknowledged \(entry.version)" }
        guard digest == entry.digest else {
            let fields = CrashLoopLedger.differingFields(digest, entry.digest)
            return "dispense \(id) version \(version) differs from what was acknowledged in \(fields.joined(separator: ", "))"
        }
        return nil
    }

    /// Verifies the audit chain through the API; nil when intact and long enough.
    static func auditProblem(client: LocalClient, ledger: CrashLoopLedger) async -> String? {
        let response: LocalResponse
        do {
            response = try await client.send("GET", "/v1/audit?verify=true&limit=1")
        } catch {
            return "audit: \(error)"
        }
        guard response.status == 200, let chain = response.json?["chain"] as? [String: Any] else {
            return "audit answered \(response.status)"
        }
        let entries = chain["entries"] as? Int ?? -1
        let acked = await ledger.ackedWrites
        guard chain["intact"] as? Bool == true else { return "audit chain broken at \(chain["firstBrokenSeq"] ?? "?")" }
        guard entries >= acked else { return "audit chain holds \(entries) entries for \(acked) acknowledged writes" }
        return nil
    }

    static func ms(_ duration: Duration) -> String {
        String(format: "%.0f ms", seconds(duration) * 1_000)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func summary(_ times: [Duration]) -> String {
        let sorted = times.sorted()
        guard !sorted.isEmpty else { return "none" }
        let p99 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)]
        return "median \(ms(sorted[sorted.count / 2])), p99 \(ms(p99)), max \(ms(sorted[sorted.count - 1])) over \(sorted.count) restarts"
    }
}
