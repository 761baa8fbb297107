import ArgumentParser
import Foundation
import Logging
import PillboxModel
import PillboxStore

/// The store's side of the profile and the checks, without HTTP: `Store.profileAnswer` and
/// `Store.checkFills` on the measured patient of a store `checks` seeded, called one after the
/// other in this process, and the process's CPU time per call (`getrusage`). No socket, no
/// scheduler hops, no other client: a steadier figure than `all`'s for a change inside the
/// store (docs/benchmarks.md, "store"). The store is opened as the daemon opens it; use a copy.
struct StoreBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "CPU per profile and checks read, in-process, on a store `checks` seeded (release build).")

    @Option(help: "A folder `pillbox-bench checks` seeded (data/, master.key); use a copy: opening it may migrate it.")
    var store: String

    @Option(help: "Rounds; each times --calls calls of each read. The table gives the min and the median over rounds.")
    var rounds = 7

    @Option(help: "Calls per read per round (after as many warm-up calls).")
    var calls = 200

    @Option(help: "Entries asked for, as GET /v1/patients/{nam}/medications's default.")
    var limit = 200

    func run() async throws {
        let folder = URL(fileURLWithPath: store).standardizedFileURL.path
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let store = try Store.open(path: folder + "/data/pillbox.sqlite", masterKey: try ChecksBench.masterKey(of: folder), logger: logger)
        defer { try? store.close() }
        let (nam, limit) = (ChecksBench.patient, self.limit)
        let reads: [(name: String, call: () async throws -> Int)] = [
            ("Store.profileAnswer", { try await store.profileAnswer(nam: nam, since: nil, limit: limit).entries.count }),
            ("Store.checkFills", { try await store.checkFills(nam: nam, since: nil, limit: limit).fills.count }),
        ]
        print("read                 | entries | rounds × calls | CPU µs per call: min | median | max")
        for read in reads {
            let entries = try await read.call()
            for _ in 0..<calls { _ = try await read.call() }
            var perCall: [Double] = []
            for _ in 0..<rounds {
                let before = Self.processCPU()
                for _ in 0..<calls { _ = try await read.call() }
                perCall.append((Self.processCPU() - before) / Double(calls) * 1e6)
            }
            perCall.sort()
            print(read.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                + String(format: " | %7d | %6d × %5d | %8.0f | %6.0f | %5.0f", entries, rounds, calls,
                         perCall[0], perCall[perCall.count / 2], perCall[perCall.count - 1]))
        }
    }

    /// User + system CPU seconds of this process so far.
    static func processCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
