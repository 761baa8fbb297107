import Foundation

/// Another process's CPU time and memory, from `/proc/PID` (Linux).
struct ProcStat {
    let pid: Int32

    /// User + system CPU seconds so far (`/proc/PID/stat` fields 14 and 15).
    func cpuSeconds() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        // Fields after the command name; utime is field 14 overall, the 12th after ")".
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Resident set size and its anonymous part, in MiB (`smaps_rollup`).
    func memory() -> (rss: Double, anonymous: Double) {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Double {
            for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
                let number = line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first
                return (Double(number ?? "0") ?? 0) / 1024
            }
            return 0
        }
        return (field("Rss"), field("Anonymous"))
    }

    /// RSS split by kind, in MiB (`/proc/PID/status`): anonymous (heap, stacks, SQLite's page
    /// caches), file-backed (code and read-only data of the binary and its libraries) and
    /// shared memory (SQLite's `-shm` wal-index, mapped).
    func memorySplit() -> (anonymous: Double, file: Double, shmem: Double) {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0, 0) }
        func field(_ name: String) -> Double {
            for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
                return (Double(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "0") ?? 0) / 1024
            }
            return 0
        }
        return (field("RssAnon"), field("RssFile"), field("RssShmem"))
    }

    /// Current RSS in MiB (`VmRSS`, cheap enough to poll).
    func rss() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return (Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "0") ?? 0) / 1024
        }
        return 0
    }
}

/// The machine's load: `nproc` and the 1-minute load average.
enum MachineLoad {
    static func describe() -> String {
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
        return "nproc \(ProcessInfo.processInfo.activeProcessorCount), load average \(load)"
    }
}
