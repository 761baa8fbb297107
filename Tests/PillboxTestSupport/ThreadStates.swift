import Foundation

/// What each thread of a process is doing, from `/proc` (for a test's evidence when a process
/// does not end): one line per thread, its name, state (`R`, `S`, `D`, `Z`…) and the kernel
/// function it waits in. "no such process" once it is gone, or a zombie nobody reaped.
package func threadStates(pid: Int32) -> String {
    let tasks = "/proc/\(pid)/task"
    guard let ids = try? FileManager.default.contentsOfDirectory(atPath: tasks) else { return "no such process" }
    return ids.sorted { (Int($0) ?? 0) < (Int($1) ?? 0) }.map { id in
        func read(_ name: String) -> String {
            ((try? String(contentsOfFile: "\(tasks)/\(id)/\(name)", encoding: .utf8)) ?? "?")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // stat: "tid (comm) state ...": the state is the first field after the name.
        let stat = read("stat")
        let state = stat.range(of: ") ").map { String(stat[$0.upperBound...].prefix(1)) } ?? "?"
        return "\(id) \(read("comm")) \(state) \(read("wchan"))"
    }.joined(separator: "; ")
}
