import Foundation
import PillboxClient
import PillboxTestSupport
import Testing

/// The real daemon on a full disk and under a health-check loop (docs/storage.md, "Storage
/// health"). The disk-full test mounts a tmpfs: it runs as root, like CI.
@Suite("Storage health of the real daemon", .serialized)
struct StorageHealthEndToEndTests {
    static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        (try? Spawn.run("/usr/bin/env", [tool] + arguments).code) ?? 127
    }

    @Test("On a full disk: writes and /v1/health answer 503 naming ENOSPC, reads and the audit work, the watchdog keeps pinging; freed space lets writes resume")
    func fullDisk() async throws {
        try #require(getuid() == 0, "mounting a tmpfs needs root (CI runs as root)")
        let probe = try TemporaryDirectory()
        defer { probe.remove() }
        let listener = try NotifyListener(path: probe.file("notify"))
        let fixture = try Fixture(config: ["healthProbeSeconds": 0.5],
                                  environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "1000000"])
        let data = fixture.directory.file("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: false)
        try #require(Self.run("mount", ["-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", data]) == 0)
        defer {
            _ = Self.run("umount", [data])
            fixture.directory.remove()
        }
        try await fixture.daemon.start()
        let client = fixture.daemon.client()
        let kept = try await client.post("/v1/dispenses", Samples.dispense(id: "FULL-kept"))
        #expect(kept.status == 201)
        let keptID = try #require(kept.json?["id"] as? String)

        // Fill the file system, then write until the store refuses.
        let filler = (data as NSString).appendingPathComponent("filler")
        _ = FileManager.default.createFile(atPath: filler, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: filler))
        while (try? handle.write(contentsOf: Data(count: 4096))) != nil {}
        try handle.close()
        var refusal: LocalResponse?
        for n in 0..<500 {
            let response = try await client.post("/v1/dispenses", Samples.dispense(id: "FULL-\(n)"))
            if response.status != 201 { refusal = response; break }
        }
        let refused = try #require(refusal, "no write was refused on a full disk")
        #expect(refused.status == 503)
        #expect(refused.json?["type"] as? String == "https://pillbox.local/problems/disk-full")
        #expect((refused.json?["detail"] as? String)?.contains("ENOSPC") == true)

        let health = try await client.get("/v1/health")
        #expect(health.status == 503)
        #expect((health.json?["detail"] as? String)?.contains("ENOSPC (SQLITE_FULL") == true || (health.json?["detail"] as? String)?.contains("ENOSPC: no space left") == true)
        let storage = try await client.get("/v1/status").json?["storage"] as? [String: Any]
        #expect(storage?["state"] as? String == "disk-full")
        #expect(try await client.get("/v1/dispenses/\(keptID)").status == 200)
        // Reading the audit works too (it answered 503 when appending the queued entries failed).
        let audit = try await client.get("/v1/audit")
        #expect(audit.status == 200)
        #expect(((audit.json?["entries"] as? [[String: Any]])?.count ?? 0) >= 1)
        // WATCHDOG_USEC 1 s: a ping every 0.5 s, so about 6 in 3 s.
        let pings = try await listener.countPings(during: .seconds(3))
        #expect(pings >= 4, "\(pings) watchdog pings in 3 s on a full disk")
        #expect(fixture.daemon.output.contains("Disk full (ENOSPC)"))

        try FileManager.default.removeItem(atPath: filler)
        #expect(try await client.post("/v1/dispenses", Samples.dispense(id: "FULL-after")).status == 201)
        try await Task.sleep(for: .milliseconds(600))
        _ = try await client.post("/v1/dispenses", Samples.dispense(id: "FULL-later"))
        #expect(try await client.get("/v1/health").status == 200)
        _ = listener.drain()
        do {
            #expect(try await fixture.daemon.stop() == 0)
        } catch {
            // Seen once under the full suite's load: keep the evidence, and never leave a daemon
            // holding the tmpfs.
            Issue.record("\(error); daemon log tail: \(fixture.daemon.output.suffix(4000))")
            try? await fixture.daemon.kill9()
        }
    }

    @Test("A loop of /v1/health calls costs at most ceil(elapsed / healthProbeSeconds) probe commits, and fdatasyncs at the audit-flush pace, not one per call")
    func healthLoopDoesNotFsyncPerCall() async throws {
        let fixture = try Fixture(config: ["healthProbeSeconds": 0.5])
        defer { fixture.directory.remove() }
        try await fixture.daemon.start()
        let client = fixture.daemon.client()
        let pid = try #require(fixture.daemon.pid)
        // Count fdatasync/fsync of the whole daemon with strace (installed by .ci/run). It logs
        // each call to a file and is ended with SIGKILL: the test runner's blocked signal mask is
        // inherited, so strace would never see SIGINT; the kernel detaches the daemon.
        let traceFile = fixture.directory.file("strace.txt")
        let strace = try SpawnedChild.start("/usr/bin/env", ["strace", "-f", "-e", "trace=fdatasync,fsync", "-o", traceFile, "-p", "\(pid)"],
                                            output: .discard, errors: .discard)
        try await Task.sleep(for: .seconds(1))  // attached

        // One dispense: its commit is an fdatasync strace must see (the count is not blind).
        #expect(try await client.post("/v1/dispenses", Samples.dispense(id: "HLT-1")).status == 201)
        let before = try await client.get("/v1/status").json?["storage"] as? [String: Any]
        let started = ContinuousClock.now
        let calls = 200
        for _ in 0..<calls {
            #expect(try await client.get("/v1/health").status == 200)
        }
        let elapsed = Double((ContinuousClock.now - started).components.attoseconds) / 1e18
            + Double((ContinuousClock.now - started).components.seconds)
        let after = try await client.get("/v1/status").json?["storage"] as? [String: Any]
        try await Task.sleep(for: .milliseconds(300))
        strace.kill(SIGKILL)
        _ = strace.finish()
        let trace = (try? String(contentsOfFile: traceFile, encoding: .utf8)) ?? ""
        let syncs = trace.split(separator: "\n").filter { ($0.contains(" fdatasync(") || $0.contains(" fsync(")) }.count

        let probes = (after?["probeCommits"] as? Int ?? -1) - (before?["probeCommits"] as? Int ?? 0)
        #expect(probes >= 0 && probes <= Int((elapsed / 0.5).rounded(.up)), "\(probes) probes in \(elapsed) s")
        // Each request leaves an audit entry, appended every 200 ms (auditFlushMilliseconds):
        // at most one commit per flush and per probe, whatever the number of calls.
        let bound = Int((elapsed / 0.2).rounded(.up)) + Int((elapsed / 0.5).rounded(.up)) + 4
        #expect(syncs >= 1, "strace saw no fdatasync, not even the dispense's")
        // The old health committed once per call: at least `calls` syncs.
        #expect(syncs <= bound && syncs < calls, "\(syncs) fdatasync/fsync for \(calls) health calls in \(elapsed) s")
        #expect(try await fixture.daemon.stop() == 0)
    }
}
