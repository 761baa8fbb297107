import Foundation

/// Memory figures of this process from /proc (Linux).
enum Memory {
    /// Resident set size and its anonymous part, in MiB (`/proc/self/smaps_rollup`).
    static func now() -> (rss: Double, anonymous: Double) {
        guard let text = try? String(contentsOfFile: "/proc/self/smaps_rollup", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Double {
            for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
                let number = line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first
                return (Double(number ?? "0") ?? 0) / 1024
            }
            return 0
        }
        return (field("Rss"), field("Anonymous"))
    }

    /// Peak resident set size so far, in MiB (`VmHWM`).
    static func peakRSS() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return (Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "0") ?? 0) / 1024
        }
        return 0
    }
}

/// Seconds between two instants.
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
