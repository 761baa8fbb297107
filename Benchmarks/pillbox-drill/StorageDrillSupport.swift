import Foundation
import PillboxClient
import PillboxTestSupport

/// What the storage drills (disk-full, fsync-faults) share: running tools, recording
/// dispenses with concurrent writers, checking that every acknowledged write survived.
enum StorageDrillSupport {
    /// Runs `tool` with `arguments`; returns its exit status and output (stderr with it).
    /// `posix_spawn` and `waitpid`, not Foundation's `Process` (PillboxTestSupport's `Spawn.swift`).
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) -> (status: Int32, output: String) {
        do {
            let result = try Spawn.run("/usr/bin/env", [tool] + arguments, mergeErrors: true)
            return (result.code, result.out)
        } catch {
            return (127, "\(error)")
        }
    }

    /// Writes `config` as the daemon's configuration file and a fresh key; returns the
    /// daemon arguments.
    static func arguments(_ directory: TemporaryDirectory, config: [String: Any]) throws -> [String] {
        let configPath = directory.file("pillbox.json")
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        let keyPath = try TestKeys.write(.random(), to: directory.file("master.key"))
        return ["--key-file", keyPath, "--config", configPath]
    }

    /// The outcome of a round of writes.
    struct Round: Sendable {
        /// pharmacyDispenseId -> id of every acknowledged (201) write.
        var acknowledged: [String: String] = [:]
        /// Answers by status.
        var statuses: [Int: Int] = [:]
        /// Problem types of the 503s, by count.
        var problemTypes: [String: Int] = [:]
        /// A sample 503 detail.
        var sampleDetail: String?
        /// Requests that got no answer at all.
        var unanswered = 0

        mutating func merge(_ other: Round) {
            acknowledged.merge(other.acknowledged) { $1 }
            statuses.merge(other.statuses, uniquingKeysWith: +)
            problemTypes.merge(other.problemTypes, uniquingKeysWith: +)
            sampleDetail = sampleDetail ?? other.sampleDetail
            unanswered += other.unanswered
        }
    }

    /// Records dispenses `prefix-<worker>-<n>` with `workers` concurrent clients until
    /// `stop(round)` says so for each worker (checked after every answer) or `limit` writes
    /// per worker.
    static func write(_ daemon: DaemonProcess, prefix: String, workers: Int, limit: Int,
                      stop: @escaping @Sendable (_ worker: Round) -> Bool) async -> Round {
        await withTaskGroup(of: Round.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    let client = daemon.client()
                    var round = Round()
                    for n in 0..<limit {
                        let dispenseID = "\(prefix)-\(worker)-\(n)"
                        let body = Samples.json(Samples.dispense(id: dispenseID, nam: String(format: "DISK%08d", n % 500)))
                        guard let response = try? await client.send("POST", "/v1/dispenses", body: body) else {
                            round.unanswered += 1
                            if stop(round) { break }
                            continue
                        }
                        round.statuses[response.status, default: 0] += 1
                        if response.status == 201, let id = response.json?["id"] as? String {
                            round.acknowledged[dispenseID] = id
                        } else if response.status == 503 {
                            let type = (response.json?["type"] as? String ?? "?").components(separatedBy: "/").last ?? "?"
                            round.problemTypes[type, default: 0] += 1
                            round.sampleDetail = round.sampleDetail ?? response.json?["detail"] as? String
                        }
                        if stop(round) { break }
                    }
                    return round
                }
            }
            var total = Round()
            for await round in group { total.merge(round) }
            return total
        }
    }

    /// Reads back every acknowledged write; returns how many are missing or different.
    static func missing(_ daemon: DaemonProcess, _ acknowledged: [String: String]) async -> Int {
        let client = daemon.client()
        var missing = 0
        for (dispenseID, id) in acknowledged {
            let response = try? await client.send("GET", "/v1/dispenses/\(id)")
            if response?.status != 200 || response?.json?["pharmacyDispenseId"] as? String != dispenseID { missing += 1 }
        }
        return missing
    }

    /// `GET path` as status and JSON object.
    static func get(_ daemon: DaemonProcess, _ path: String) async -> (status: Int, json: [String: Any]) {
        guard let response = try? await daemon.client().send("GET", path) else { return (0, [:]) }
        return (response.status, response.json ?? [:])
    }

    /// Sorted `key: count` pairs, for printing.
    static func describe(_ counts: [Int: Int]) -> String {
        counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    }

    static func describe(_ counts: [String: Int]) -> String {
        counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    }

    /// Seconds since `start`.
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
