import Foundation
import PillboxClient
import PillboxTestSupport
import Testing

/// pillboxd caps glibc's malloc at one arena (MallocArenas), unless the environment names a
/// cap: with an arena per thread, the idle daemon held about 1.5 MiB more (docs/performance.md,
/// "one malloc arena").
@Suite("Malloc arenas of the real daemon", .serialized)
struct MallocArenaTests {
    /// glibc's arenas beyond the main one, as /proc/PID/maps shows them: an anonymous
    /// read-write mapping at a 64 MiB boundary that, with the reserve after it, spans exactly
    /// 64 MiB (HEAP_MAX_SIZE on 64-bit). Thread stacks and other mappings are not that shape.
    static func threadArenas(pid: Int32) throws -> Int {
        let heap = 64 << 20
        let rows = try String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8).split(separator: "\n").map {
            line -> (start: Int, end: Int, permissions: Substring, named: Bool) in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            let range = fields[0].split(separator: "-").map { Int($0, radix: 16) ?? 0 }
            return (range[0], range[1], fields[1], fields.count > 5)
        }
        var count = 0
        for (index, row) in rows.enumerated() where !row.named && row.permissions == "rw-p" && row.start % heap == 0 {
            var end = row.end
            if index + 1 < rows.count, rows[index + 1].start == row.end, rows[index + 1].permissions == "---p",
               !rows[index + 1].named {
                end = rows[index + 1].end
            }
            if end - row.start == heap { count += 1 }
        }
        return count
    }

    /// Eight clients at once, each posting dispenses and reading them back, so that the
    /// daemon's threads all allocate.
    static func drive(_ daemon: DaemonProcess) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<8 {
                group.addTask {
                    let local = daemon.client()
                    for n in 0..<10 {
                        let id = "ARENA-\(client)-\(n)"
                        let posted = try await local.send("POST", "/v1/dispenses", body: Samples.json(Samples.dispense(id: id)))
                        #expect(posted.status == 201)
                        #expect(try await local.send("GET", "/v1/patients/TREM50020312/medications").status == 200)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// With no `MALLOC_ARENA_MAX`, no arena beyond malloc's main one; with 4, the main arena and
    /// three more (the environment's cap stands).
    @Test("After eight clients at once, the daemon's arenas beyond the main one",
          arguments: [([String: String](), 0), (["MALLOC_ARENA_MAX": "4"], 3)])
    func arenas(environment: [String: String], expected: Int) async throws {
        let fixture = try Fixture(environment: environment)
        defer { fixture.directory.remove() }
        try await fixture.daemon.start()
        try await Self.drive(fixture.daemon)
        let pid = try #require(fixture.daemon.pid)
        #expect(try Self.threadArenas(pid: pid) == expected)
        #expect(try await fixture.daemon.stop() == 0)
    }
}
