import ArgumentParser

/// Benchmarks that print figures. Each runs its baseline in the same command, because these
/// machines are shared and noisy: compare the ratio, not the absolute numbers alone.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pillbox-bench",
        abstract: "Pillbox benchmarks (build with -c release).",
        subcommands: [AllBench.self, DrainBench.self, FleetBench.self, ChecksBench.self, KeysBench.self, StoreBench.self, ArchiveBench.self])
}
