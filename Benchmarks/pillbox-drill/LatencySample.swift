/// Latencies of one client's requests and how many were answered, with percentiles.
struct LatencySample {
    private(set) var milliseconds: [Double] = []
    private(set) var sent = 0
    private(set) var answered = 0
    /// Why requests were not answered, with how often.
    private(set) var failures: [String: Int] = [:]

    /// Records why a request was not answered (never patient data: statuses and error texts).
    mutating func note(failure: String) {
        failures[failure, default: 0] += 1
    }

    /// Records one request: answered (an expected status) or not, and how long it took.
    mutating func record(answered ok: Bool, milliseconds elapsed: Double) {
        sent += 1
        if ok {
            answered += 1
            milliseconds.append(elapsed)
        }
    }

    /// The `p`-th percentile (0...100) of the answered requests' latencies, in milliseconds.
    func percentile(_ p: Double) -> Double {
        guard !milliseconds.isEmpty else { return .infinity }
        let sorted = milliseconds.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    /// Answered share, in percent.
    var answeredPercent: Double { sent == 0 ? 0 : Double(answered) * 100 / Double(sent) }

    /// One line: answered share, p50, p99, max.
    var summary: String {
        func ms(_ value: Double) -> String { String(format: "%.1f ms", value) }
        return "\(answered)/\(sent) answered (\(String(format: "%.2f", answeredPercent)) %), p50 \(ms(percentile(50))), "
            + "p99 \(ms(percentile(99))), max \(ms(percentile(100)))"
            + (failures.isEmpty ? "" : "; not answered: " + failures.map { "\($0.value)× \($0.key)" }.sorted().joined(separator: ", "))
    }
}
