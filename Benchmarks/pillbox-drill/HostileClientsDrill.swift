import ArgumentParser
import Foundation
import PillboxClient
import PillboxCrypto
import PillboxTestSupport

/// Drill 5, hostile clients (issue 6, section 1): misbehaving processes hold idle,
/// trickling and slow-reading connections against the real daemon, reconnecting whenever
/// it closes one, while a well-behaved client (this process, a pid of its own) measures
/// what it gets. Passes when every request is answered with p99 under 50 ms once the
/// offenders' timeouts had time to act. See docs/reliability.md, "Hostile clients".
struct HostileClientsDrill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hostile-clients",
        abstract: "Idle, trickling and slow-reading connections must not starve a well-behaved client.")

    /// Offender processes holding idle and trickling connections (the rest are slow readers).
    static let idleProcesses = 8
    static let slowProcesses = 4

    func run() async throws {
        let report = DrillReport(name: "hostile-clients")
        Self.raiseFileLimit()
        let long = DrillReport.long
        let idleAndTrickling = long ? 1000 : 300
        let slowReaders = 64
        let measureSeconds = long ? 60.0 : 15.0
        // The daemon's defaults, but for the notes that make a 364 KB profile page quickly.
        let requestTimeout = 10.0
        let settleSeconds = requestTimeout + 1

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keyPath = try TestKeys.write(SecretKey.random(), to: directory.file("master.key"))
        let configPath = directory.file("pillbox.json")
        try JSONSerialization.data(withJSONObject: ["limits": HostileClient.largeNoteLimits])
            .write(to: URL(fileURLWithPath: configPath))
        let daemon = DaemonProcess(directory: directory, arguments: ["--key-file", keyPath, "--config", configPath])
        try await daemon.start()
        do {
            try await attack(daemon, report: report, idleAndTrickling: idleAndTrickling, slowReaders: slowReaders,
                             settleSeconds: settleSeconds, measureSeconds: measureSeconds)
        } catch {
            report.check("the drill ran to the end", false, "\(error)")
        }
        _ = try? await daemon.stop()
        throw ExitCode(report.finish())
    }

    /// Seeds, measures the baseline, runs the offenders and measures again.
    func attack(_ daemon: DaemonProcess, report: DrillReport, idleAndTrickling: Int, slowReaders: Int,
                settleSeconds: Double, measureSeconds: Double) async throws {
        let long = DrillReport.long
        let client = daemon.client()
        let pageSize = try await HostileClient.seedLargeProfile(client, records: 4)
        let created = try await client.send("POST", "/v1/dispenses",
                                            body: Samples.json(Samples.dispense(id: "WELL-1", nam: "GAGL60010112")))
        guard created.status == 201, let recordID = created.json?["id"] as? String else {
            report.check("the well-behaved client's record is created", false, "status \(created.status)")
            return
        }
        report.figure("profile page a slow reader asks for", "\(pageSize) bytes")
        let paths = ["/v1/dispenses/\(recordID)", "/v1/dispenses/\(recordID)/history", "/v1/health"]

        let baseline = try await Self.measure(client, paths: paths, for: long ? 20 : 5)
        report.figure("baseline, no offenders", baseline.summary)

        // Offenders: separate processes, so each is a peer of its own to the daemon.
        let offenders = try Self.spawnOffenders(socket: daemon.socketPath, idleAndTrickling: idleAndTrickling,
                                                slowReaders: slowReaders, seconds: settleSeconds + measureSeconds + 3)
        report.figure("offenders", "\(idleAndTrickling) idle and trickling connections from \(Self.idleProcesses) processes, "
                      + "\(slowReaders) slow readers from \(Self.slowProcesses) processes, each reconnecting 1 s after being cut")
        let onset = try await Self.measure(client, paths: paths, for: settleSeconds)
        report.figure("first \(Int(settleSeconds)) s of the attack", onset.summary)
        report.check("every request is answered from the first second of the attack", onset.answeredPercent == 100,
                     onset.summary)

        let sampler = Task {
            var maxDescriptors = 0
            while !Task.isCancelled {
                if let pid = daemon.pid { maxDescriptors = max(maxDescriptors, Self.openDescriptors(pid: pid)) }
                try? await Task.sleep(for: .milliseconds(200))
            }
            return maxDescriptors
        }
        let (steady, byPath) = try await Self.measureByPath(client, paths: paths, for: measureSeconds)
        sampler.cancel()
        let descriptors = await sampler.value
        report.figure("next \(Int(measureSeconds)) s, offenders' timeouts acting", steady.summary)
        for (path, sample) in byPath.sorted(by: { $0.key < $1.key }) {
            report.figure("  GET \(path.replacingOccurrences(of: recordID, with: "{id}"))", sample.summary)
        }
        report.check("every request is answered under attack", steady.answeredPercent == 100, steady.summary)
        report.check("p99 under 50 ms under attack", steady.percentile(99) < 50,
                     String(format: "p99 %.1f ms", steady.percentile(99)))

        let counts = Self.collect(offenders)
        report.figure("offenders' connections", "\(counts.connects) opened (\(String(format: "%.0f", Double(counts.connects) / (settleSeconds + measureSeconds))) per second), "
                      + "\(counts.maxAttached) attached at most, \(counts.connectErrors) connect errors")
        report.figure("closed by the daemon", "\(counts.idleClosed) idle, \(counts.trickleClosed) trickling "
                      + "(\(counts.trickleTimedOut) more with 408), \(counts.slowCut) slow readers, \(counts.refused) refused with 503")
        report.check("slow readers are cut by the response timeout", counts.slowCut >= slowReaders
                     && daemon.output.contains("Response not taken in time"), "\(counts.slowCut) cut")
        report.check("idle and trickling connections make room for new ones", counts.idleClosed + counts.trickleClosed > 0
                     && daemon.output.contains("Connection closed to make room"), "\(counts.idleClosed + counts.trickleClosed) closed")
        report.check("the daemon's open descriptors stay under the hard cap and its reserve", descriptors <= 256 + 128,
                     "at most \(descriptors)")
        if let pid = daemon.pid { report.figure("daemon memory after the attack", Self.memory(pid: pid)) }
        let after = try await client.send("GET", "/v1/health")
        report.check("the daemon is healthy after the attack", after.status == 200, "status \(after.status)")
    }

    /// Sends the well-behaved client's requests one after another for `seconds`.
    static func measure(_ client: LocalClient, paths: [String], for seconds: Double) async throws -> LatencySample {
        try await measureByPath(client, paths: paths, for: seconds).all
    }

    /// As `measure`, with a sample per path too.
    static func measureByPath(_ client: LocalClient, paths: [String], for seconds: Double) async throws
        -> (all: LatencySample, byPath: [String: LatencySample]) {
        var sample = LatencySample()
        var byPath: [String: LatencySample] = [:]
        let end = ContinuousClock.now + .seconds(seconds)
        var index = 0
        while ContinuousClock.now < end {
            let started = ContinuousClock.now
            let status: Int
            do {
                status = try await client.send("GET", paths[index % paths.count]).status
            } catch {
                status = 0
                sample.note(failure: "\(error)")
            }
            let elapsed = ContinuousClock.now - started
            if status != 0 && status != 200 { sample.note(failure: "status \(status)") }
            let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
            sample.record(answered: status == 200, milliseconds: milliseconds)
            byPath[paths[index % paths.count], default: LatencySample()].record(answered: status == 200,
                                                                                milliseconds: milliseconds)
            index += 1
            try await Task.sleep(for: .milliseconds(5))
        }
        return (sample, byPath)
    }

    /// Starts the offender processes (this executable's `hostile-clients-offender`): each
    /// prints its counts as JSON on stdout at its end. `posix_spawn` and `waitpid`, not
    /// Foundation's `Process`, whose end of a child can go unseen (PillboxTestSupport's `Spawn.swift`).
    static func spawnOffenders(socket: String, idleAndTrickling: Int, slowReaders: Int, seconds: Double) throws -> [SpawnedChild] {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        var processes: [SpawnedChild] = []
        func spawn(_ arguments: [String]) throws {
            processes.append(try SpawnedChild.start(
                executable, ["hostile-clients-offender", "--socket", socket, "--seconds", "\(seconds)"] + arguments))
        }
        let perIdle = idleAndTrickling / idleProcesses
        for _ in 0..<idleProcesses { try spawn(["--idle", "\(perIdle / 2)", "--trickle", "\(perIdle - perIdle / 2)"]) }
        for _ in 0..<slowProcesses { try spawn(["--slow", "\(slowReaders / slowProcesses)"]) }
        return processes
    }

    /// Waits for every offender and sums their counts.
    static func collect(_ processes: [SpawnedChild]) -> HostileClientsOffender.Counts {
        var total = HostileClientsOffender.Counts()
        for process in processes {
            let (_, output, errors) = process.finish()
            // An offender's own complaints, passed on as they were before (stderr was shared).
            if !errors.isEmpty { FileHandle.standardError.write(Data(errors.utf8)) }
            guard let counts = try? JSONDecoder().decode(HostileClientsOffender.Counts.self, from: Data(output.utf8)) else { continue }
            total.connects += counts.connects
            total.connectErrors += counts.connectErrors
            total.idleClosed += counts.idleClosed
            total.trickleClosed += counts.trickleClosed
            total.trickleTimedOut += counts.trickleTimedOut
            total.slowCut += counts.slowCut
            total.slowRefused += counts.slowRefused
            total.refused += counts.refused
            total.maxAttached += counts.maxAttached
            total.attachedAtEnd += counts.attachedAtEnd
        }
        return total
    }

    /// Raises this process's soft descriptor limit to its hard limit (offenders hold
    /// hundreds of connections each).
    static func raiseFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    static func openDescriptors(pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
    }

    /// RSS and anonymous memory from /proc/PID/smaps_rollup.
    static func memory(pid: Int32) -> String {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else { return "unknown" }
        func field(_ name: String) -> String {
            text.split(separator: "\n").first { $0.hasPrefix(name + ":") }?
                .split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.map { "\(Int($0)! / 1024) MB" } ?? "?"
        }
        return "RSS \(field("Rss")), anonymous \(field("Anonymous"))"
    }
}
