import Foundation

/// The outcome of one drill: named checks, each passed or failed, printed as they happen
/// and summed up in the closing line `N passed, N failed` that CI reads.
final class DrillReport: @unchecked Sendable {
    private let lock = NSLock()
    private var passed = 0
    private var failed = 0
    let name: String

    init(name: String) {
        self.name = name
    }

    /// True when the drill runs its long version (`PILLBOX_DRILL_LONG=1`).
    static var long: Bool {
        ["1", "true", "yes"].contains(ProcessInfo.processInfo.environment["PILLBOX_DRILL_LONG"]?.lowercased() ?? "")
    }

    /// Records one check; `detail` says what was measured (never patient data).
    func check(_ what: String, _ ok: Bool, _ detail: @autoclosure () -> String = "") {
        let detail = detail()
        lock.withLock { if ok { passed += 1 } else { failed += 1 } }
        print("\(ok ? "PASS" : "FAIL") \(name): \(what)\(detail.isEmpty ? "" : " (\(detail))")")
    }

    /// A figure worth keeping (printed, not checked).
    func figure(_ what: String, _ value: String) {
        print("     \(name): \(what): \(value)")
    }

    /// Prints the closing line and returns the exit code: 0 only when every check passed
    /// and at least one ran.
    func finish() -> Int32 {
        let (passed, failed) = lock.withLock { (self.passed, self.failed) }
        print("\(passed) passed, \(failed) failed")
        return failed == 0 && passed > 0 ? 0 : 1
    }
}
