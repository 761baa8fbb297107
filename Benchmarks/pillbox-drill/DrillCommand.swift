import ArgumentParser

/// Reliability drills: each breaks the real daemon the way the world does (a kill, a failed
/// fsync, a full disk, a hostile client, a failing central record), checks what must still
/// hold, and ends with the line `N passed, N failed`; the exit code is non-zero on any
/// failure. Short by default (for CI); `PILLBOX_DRILL_LONG=1` runs the long version.
/// See docs/reliability.md.
@main
struct DrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pillbox-drill",
        abstract: "Pillbox reliability drills (short by default; PILLBOX_DRILL_LONG=1 for the long run).",
        subcommands: [
            CrashLoopDrill.self,
            FsyncFaultsDrill.self,
            DiskFullDrill.self,
            CentralFaultsDrill.self,
            HostileClientsDrill.self,
            HostileClientsOffender.self,
        ])
}
