import Foundation
import GRDB

/// The intake baseline: plain SQLite, one row per transaction, WAL, `synchronous=FULL`, one
/// writer, on the same disk as the store, a payload of the same size as a sealed dispense plus
/// an indexed key, through GRDB with a cached statement (no JSON, no crypto, no audit).
enum SQLiteBaseline {
    struct Result {
        var rows: Int
        var seconds: Double
        var cpuMicrosPerRow: Double
        var rate: Double { Double(rows) / seconds }
    }

    static func run(path: String, payloadBytes: Int, duration: Double) throws -> Result {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let queue = try DatabasePool(path: path, configuration: configuration)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE t(id TEXT PRIMARY KEY, nam BLOB NOT NULL, at REAL NOT NULL, payload BLOB NOT NULL);
                CREATE INDEX t_nam ON t(nam, at);
                """)
        }
        let payload = Data((0..<payloadBytes).map { _ in UInt8.random(in: 0...255) })
        let clock = ContinuousClock()
        let started = clock.now
        var usage0 = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage0)
        var rows = 0
        while seconds(clock.now - started) < duration {
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try db.cachedStatement(sql: "INSERT INTO t VALUES (?, ?, ?, ?)").execute(arguments: [
                        UUID().uuidString, Data((0..<32).map { _ in UInt8.random(in: 0...255) }), Date().timeIntervalSince1970, payload,
                    ])
                    return .commit
                }
            }
            rows += 1
        }
        let elapsed = seconds(clock.now - started)
        var usage1 = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage1)
        func micros(_ usage: rusage) -> Double {
            Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
        }
        try queue.close()
        return Result(rows: rows, seconds: elapsed, cpuMicrosPerRow: (micros(usage1) - micros(usage0)) / Double(rows))
    }
}
