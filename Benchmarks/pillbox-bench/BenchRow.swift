import Foundation

/// One line of `pillbox-bench all`'s table; also its `--json` object.
struct BenchRow: Codable {
    var name: String
    /// Requests (or records) measured and their rate per second.
    var count: Int?
    var perSecond: Double?
    var minMs: Double?
    var p50Ms: Double?
    var p99Ms: Double?
    /// The daemon's user + system CPU per request (per record for intake), from /proc.
    var daemonCPUMicros: Double?
    /// The C client's own CPU per request.
    var clientCPUMicros: Double?
    /// A figure that is not a latency (MiB, ms, bytes), with its unit.
    var value: Double?
    var unit: String?
    /// Against what the ratio is taken, and the ratio.
    var baseline: String?
    var ratio: Double?
    /// The issue-9 target, in words, and whether this run met it (nil: reported only).
    var target: String?
    var met: Bool?
}

/// Prints rows as one aligned table.
enum BenchTable {
    static func print(_ rows: [BenchRow]) {
        func f(_ value: Double?, _ digits: Int = 2) -> String { value.map { String(format: "%.\(digits)f", $0) } ?? "" }
        let header = ["figure", "n", "per s", "min ms", "p50 ms", "p99 ms", "daemon CPU µs", "client CPU µs", "value", "ratio", "target", "met"]
        let lines = rows.map { row in [
            row.name, row.count.map(String.init) ?? "", f(row.perSecond, 0), f(row.minMs, 3), f(row.p50Ms, 3), f(row.p99Ms, 3),
            f(row.daemonCPUMicros, 0), f(row.clientCPUMicros, 0),
            row.value.map { String(format: "%.1f %@", $0, row.unit ?? "") } ?? "",
            row.ratio.map { String(format: "%.2f× %@", $0, row.baseline ?? "") } ?? "",
            row.target ?? "", row.met.map { $0 ? "yes" : "NO" } ?? "",
        ] }
        var widths = header.map(\.count)
        for line in lines { for (i, cell) in line.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func render(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == 0 || i >= 8 ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[i] - cell.count) + cell
            }.joined(separator: " | ")
        }
        Swift.print(render(header))
        Swift.print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "-|-"))
        for line in lines { Swift.print(render(line)) }
    }
}
